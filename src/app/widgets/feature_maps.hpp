// feature_maps.hpp — the maps of a convolutional layer (C, H, W) as one texture of C tiles side
// by side in a diverging colour scale (blue < 0 < red, white at 0), uploaded by a lab's update
// and drawn tile by tile at any size (nearest sampling: every cell of the map stays visible).
#pragma once
#include "app/host.hpp"

namespace implay::app {

struct FeatureMaps {
  Texture texture;
  int channels = 0, height = 0, width = 0;  // C, H, W
  float scale = 1;                          // the |value| drawn at full colour
};

// values (C, H, W) row-major → maps.texture (H, C·(W + 1) − 1) RGBA; every tile is scaled by
// the largest |value| of all (or by `scale` when > 0), so tiles compare. A 1-px grey gap
// separates the tiles.
void upload_feature_maps(FeatureMaps& maps, const float* values, int channels, int height, int width, Host& host,
                         float scale = 0);

// Tile c at `px` CSS px per map cell, with a thin border; returns true when hovered. Draws a
// blank square of the same size when the maps are not uploaded yet.
bool FeatureMapTile(const FeatureMaps& maps, int c, float px);

}  // namespace implay::app
