// main.cpp — the `implay` command-line tool: the playground's core on real data, without a window.
// Exit codes: 0 success, 1 unreadable or corrupt data (or any error the core reports),
// 2 bad usage (unknown flag, missing or malformed argument).
#include <cstdio>
#include <exception>
#include <iostream>
#include <new>

#include "cli/commands.hpp"
#include "core/knn/distance.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "implay — Image Model Playground on the command line (kNN, linear classifiers, neural nets, pixel models, "
      "convolution and CNNs on MNIST)"};
  app.set_version_flag("--version",
                       std::string("implay ") + IMPLAY_VERSION + " (kernels: " + implay::integer_kernels_name() + ")");
  // No require_subcommand(): CLI11 would then report "a subcommand is required" before it
  // names an unknown flag; the missing subcommand is reported below instead.
  app.footer("Datasets: `mnist` and `mnist-test` name the staged MNIST data (or the folder in $IMPLAY_DATA).");

  implay::cli::Runner run;
  implay::cli::add_data_command(app, run);
  implay::cli::add_knn_commands(app, run);
  implay::cli::add_linear_commands(app, run);
  implay::cli::add_nn_commands(app, run);
  implay::cli::add_roc_commands(app, run);
  implay::cli::add_ar_commands(app, run);
  implay::cli::add_conv_commands(app, run);
  implay::cli::add_cnn_commands(app, run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    std::cout << e.what() << '\n';
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "implay: " << e.what() << "\n\n";
    // Usage of the deepest subcommand the user reached, so the hint matches what they typed.
    const CLI::App* shown = &app;
    while (!shown->get_subcommands().empty()) shown = shown->get_subcommands().front();
    std::cerr << shown->help("", CLI::AppFormatMode::Normal);
    return 2;
  }
  if (!run) {
    std::cerr << "implay: a subcommand is required\n\n" << app.help("", CLI::AppFormatMode::Normal);
    return 2;
  }
  try {
    const int rc = run();
    // Output redirected to a full disk (or /dev/full) fails only when flushed: say so.
    // (ferror: an earlier fflush may have failed already, leaving nothing to flush now.)
    if (!std::cout.flush() || std::fflush(stdout) != 0 || std::ferror(stdout)) {
      std::cerr << "implay: error: cannot write the output to standard output (disk full or closed pipe?)\n";
      return 1;
    }
    return rc;
  } catch (const std::bad_alloc&) {
    std::fflush(stdout);
    std::cerr << "implay: error: out of memory (the data or the options ask for more memory than this machine has)\n";
    return 1;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::cerr << "implay: error: " << e.what() << "\n";
    return 1;
  }
}
