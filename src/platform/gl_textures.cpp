// gl_textures.cpp — RGBA textures for ImGui::Image (WebGL2 in the browser, OpenGL natively).
#include "platform/platform.hpp"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#else
#include <SDL_opengl.h>
#endif

namespace implay::platform {

void update_texture(app::Texture& texture, const uint32_t* rgba, int width, int height) {
  GLuint id = GLuint(reinterpret_cast<intptr_t>(texture.id));
  const bool fresh = id == 0;
  if (fresh) glGenTextures(1, &id);
  glBindTexture(GL_TEXTURE_2D, id);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  if (fresh || texture.width != width || texture.height != height) {
    const GLint filter = texture.smooth ? GL_LINEAR : GL_NEAREST;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  } else {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  }
  texture.id = reinterpret_cast<ImTextureID>(intptr_t(id));
  texture.width = width;
  texture.height = height;
}

}  // namespace implay::platform
