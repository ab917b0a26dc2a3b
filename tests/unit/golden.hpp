// Golden-file comparison shared by the golden tests: compares `actual` with the
// file at `path`, or rewrites the file when GOUJI_REFRESH_GOLDENS is set
// (make refresh-goldens), so a reviewed change updates every golden in one go.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "gouji/readers.hpp"

namespace gouji::test {

inline std::string test_dir() { return GOUJI_TEST_DIR; }

inline std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline bool refreshing_goldens() {
    const char* v = std::getenv("GOUJI_REFRESH_GOLDENS");
    return v && *v && std::string(v) != "0";
}

// Returns an empty string when equal (or refreshed), else a short diff description.
inline std::string compare_golden(const std::string& path, const std::string& actual) {
    if (refreshing_goldens()) {
        std::ofstream(path, std::ios::binary) << actual;
        return {};
    }
    if (!std::filesystem::exists(path)) return "golden file missing: " + path + " (run make refresh-goldens)";
    std::string expected = read_text_file(path);
    if (expected == actual) return {};
    std::istringstream e(expected), a(actual);
    std::string el, al;
    for (int line = 1;; ++line) {
        bool he = static_cast<bool>(std::getline(e, el)), ha = static_cast<bool>(std::getline(a, al));
        if (!he && !ha) break;
        if (el != al || he != ha)
            return path + ":" + std::to_string(line) + ": golden differs\n  expected: " + (he ? el : "<end>") +
                   "\n  actual:   " + (ha ? al : "<end>");
    }
    return path + ": golden differs (line endings?)";
}

// A report with goldens, and the reports its check is given with --previous.
struct GoldenCase {
    std::string report;                 // relative to tests/
    std::vector<std::string> previous;  // relative to tests/
};

// The report documents with goldens: every line of tests/golden-cases.txt that is
// not blank or a comment, relative to tests/: "REPORT [--previous EARLIER]...".
inline std::vector<GoldenCase> golden_cases() {
    std::vector<GoldenCase> cases;
    std::ifstream in(test_dir() + "/golden-cases.txt");
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        GoldenCase c;
        words >> c.report;
        for (std::string flag, earlier; words >> flag >> earlier;) {
            if (flag != "--previous") throw std::runtime_error("golden-cases.txt: unknown option " + flag + " in: " + line);
            c.previous.push_back(earlier);
        }
        cases.push_back(std::move(c));
    }
    return cases;
}

// Reads a golden case (a path relative to tests/), naming it by that relative path
// so goldens do not depend on where the checkout is.
inline gouji::Document read_golden_case(const std::string& relative) {
    gouji::Document doc = gouji::read_document(test_dir() + "/" + relative);
    doc.path = relative;
    return doc;
}

}  // namespace gouji::test
