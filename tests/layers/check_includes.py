#!/usr/bin/env python3
"""check_includes.py [--labs-without-app-hpp] [SRC_DIR] — the layers of src/, checked include by include.

  core/      the standard library, Eigen, SIMD intrinsics headers and core/ headers, nothing else
  app/       no SDL, GL or emscripten headers, no platform/, io/ or cli/ headers
             (core/, app/, imgui.h and nlohmann/json are its third-party world)
  cli/       no app/ or platform/ headers
  io/        no app/, platform/ or cli/ headers
  app/labs/  (with --labs-without-app-hpp) no "app/app.hpp": a lab sees its LabContext, not the app

Prints `file:line: forbidden include <...>: why` for each violation and exits 1 if there is one.
`--self-test` runs the check on tests/layers/fixtures/src, where every line that must be flagged
ends in `// forbidden`, and fails unless exactly those lines are flagged (so the check cannot pass
by flagging nothing). ctest runs both (tests/CMakeLists.txt: layers.includes, layers.self_test);
the per-target include folders (cmake/layers.cmake) make most of these fail to compile as well."""
import argparse
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_SUFFIXES = (".cpp", ".hpp", ".h", ".cc", ".inl")

# The C++20 standard library headers and the C headers it carries (<cstdint>, <stdint.h>, ...).
STD_HEADERS = set("""
algorithm any array atomic barrier bit bitset charconv chrono codecvt compare complex concepts
condition_variable coroutine deque exception execution expected filesystem format forward_list
fstream functional future initializer_list iomanip ios iosfwd iostream istream iterator latch
limits list locale map memory memory_resource mutex new numbers numeric optional ostream queue
random ranges ratio regex scoped_allocator semaphore set shared_mutex source_location span
sstream stack stdexcept stop_token streambuf string string_view strstream syncstream
system_error thread tuple type_traits typeindex typeinfo unordered_map unordered_set utility
valarray variant vector version
cassert cctype cerrno cfenv cfloat cinttypes climits clocale cmath csetjmp csignal cstdarg
cstddef cstdint cstdio cstdlib cstring ctime cuchar cwchar cwctype
assert.h ctype.h errno.h fenv.h float.h inttypes.h limits.h locale.h math.h setjmp.h signal.h
stdarg.h stddef.h stdint.h stdio.h stdlib.h string.h time.h uchar.h wchar.h wctype.h
""".split())
# SIMD intrinsics: <wasm_simd128.h>, x86's <immintrin.h>, <emmintrin.h>, <xmmintrin.h>, ...
SIMD_HEADER = re.compile(r"^(wasm_simd128\.h|[a-z0-9]*intrin\.h|arm_neon\.h)$")
# What only platform/ may touch: the window, the GL context, the browser.
PLATFORM_HEADER = re.compile(r"^(SDL2?/|SDL[_.]|GL/|GLES\d?/|EGL/|KHR/|OpenGL/|glad/|emscripten[./]|webgl/)")


def is_std(name):
    return name in STD_HEADERS


def is_eigen(name):
    return name.startswith("Eigen/") or name.startswith("unsupported/Eigen/")


def project_layer(name):
    """"core/knn/knn.hpp" -> "core"; None for a header that does not start with a layer folder."""
    head = name.split("/", 1)[0]
    return head if head in ("core", "app", "platform", "io", "cli") and "/" in name else None


def check_core(bracket, name):
    if bracket == "<" and (is_std(name) or is_eigen(name) or SIMD_HEADER.match(name)):
        return None
    if bracket == '"' and project_layer(name) == "core":
        return None
    return "core/ includes only the standard library, Eigen, SIMD intrinsics and core/ headers"


def check_app(bracket, name):
    if PLATFORM_HEADER.match(name):
        return "app/ draws with ImGui only: SDL, GL and emscripten belong to platform/"
    if project_layer(name) in ("platform", "io", "cli"):
        return "app/ includes core/ and app/ headers, not platform/, io/ or cli/ (the Host reaches them)"
    return None


def check_cli(bracket, name):
    if project_layer(name) in ("app", "platform"):
        return "cli/ uses core/ and io/, not the ImGui app (app/, platform/)"
    return None


def check_io(bracket, name):
    if project_layer(name) in ("app", "platform", "cli"):
        return "io/ reads files for core/: it includes no app/, platform/ or cli/ headers"
    return None


def check_lab(bracket, name):
    if bracket == '"' and name == "app/app.hpp":
        return "a lab sees its LabContext (app/lab.hpp), not the whole app (app/app.hpp)"
    return None


RULES = {"core": check_core, "app": check_app, "cli": check_cli, "io": check_io}


def violations(src_dir, labs_without_app_hpp):
    """Yields (path relative to src_dir's parent, line number, include as written, why)."""
    base = os.path.dirname(os.path.abspath(src_dir))
    for layer, rule in sorted(RULES.items()):
        top = os.path.join(src_dir, layer)
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            rel_folder = os.path.relpath(folder, src_dir).replace(os.sep, "/")
            in_lab = rel_folder == "app/labs" or rel_folder.startswith("app/labs/")
            for file in sorted(files):
                if not file.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(folder, file)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        match = INCLUDE.match(line)
                        if not match:
                            continue
                        bracket, name = match.groups()
                        why = rule(bracket, name)
                        if why is None and in_lab and labs_without_app_hpp:
                            why = check_lab(bracket, name)
                        if why is not None:
                            written = f"<{name}>" if bracket == "<" else f'"{name}"'
                            yield os.path.relpath(path, base).replace(os.sep, "/"), number, written, why


def run_check(src_dir, labs_without_app_hpp):
    found = list(violations(src_dir, labs_without_app_hpp))
    for path, number, written, why in found:
        print(f"{path}:{number}: forbidden include {written}: {why}")
    if found:
        print(f"layers: {len(found)} forbidden include(s) in {src_dir}")
        return 1
    print(f"layers: every include in {src_dir} respects the layers")
    return 0


def run_self_test():
    fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "src")
    base = os.path.dirname(fixtures)
    expected = set()
    for folder, _, files in os.walk(fixtures):
        for file in files:
            path = os.path.join(folder, file)
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    if line.rstrip().endswith("// forbidden"):
                        expected.add((os.path.relpath(path, base).replace(os.sep, "/"), number))
    flagged = {(path, number) for path, number, _, _ in violations(fixtures, labs_without_app_hpp=True)}
    status = 0
    for path, number in sorted(expected - flagged):
        print(f"{path}:{number}: marked // forbidden but the check let it through")
        status = 1
    for path, number in sorted(flagged - expected):
        print(f"{path}:{number}: flagged but allowed (not marked // forbidden)")
        status = 1
    if len(expected) < 10:
        print(f"layers self-test: only {len(expected)} forbidden lines in the fixtures; expected at least 10")
        status = 1
    if status == 0:
        print(f"layers self-test: all {len(expected)} forbidden includes in the fixtures flagged, nothing else")
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("src_dir", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", "..", "src"))
    parser.add_argument("--labs-without-app-hpp", action="store_true",
                        help='also forbid "app/app.hpp" in src/app/labs/')
    parser.add_argument("--self-test", action="store_true", help="check the checker on tests/layers/fixtures")
    args = parser.parse_args()
    if args.self_test:
        return run_self_test()
    return run_check(os.path.normpath(args.src_dir), args.labs_without_app_hpp)


if __name__ == "__main__":
    sys.exit(main())
