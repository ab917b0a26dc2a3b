// Shared by the text/Markdown/encoding/bad-input tests: corpus paths, files
// written at test time into a private temporary folder, GB18030 encoding.
#pragma once

#include <doctest/doctest.h>
#include <unicode/ucnv.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gouji/document.hpp"

namespace reader_tests {

// tests/corpus/<folder>/<name> once the lead has copied it; until then the
// shared corpus beside the checkout. A missing file fails the test.
inline std::string corpus_path(const std::string& folder, const std::string& name) {
    std::string own = std::string(GOUJI_TEST_DIR) + "/corpus/" + folder + "/" + name;
    if (std::filesystem::exists(own)) return own;
    std::string shared = std::string(GOUJI_SOURCE_DIR) + "/../shared/corpus/" + folder + "/" + name;
    REQUIRE_MESSAGE(std::filesystem::exists(shared), "corpus file missing: " << own);
    return shared;
}

inline std::string fixture_path(const std::string& relative) {
    return std::string(GOUJI_TEST_DIR) + "/fixtures/" + relative;
}

inline std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot open " << path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A folder of its own under the system temp dir, removed with everything in it.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("gouji-reader-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path_);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    std::string write(const std::string& name, const std::string& bytes) const {
        std::string p = file(name);
        std::ofstream out(p, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        REQUIRE_MESSAGE(out.good(), "cannot write " << p);
        return p;
    }
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

inline std::string to_gb18030(const std::string& utf8) {
    UErrorCode status = U_ZERO_ERROR;
    std::string out(utf8.size() * 2 + 16, '\0');
    int32_t length = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                                  static_cast<int32_t>(utf8.size()), &status);
    REQUIRE(U_SUCCESS(status));
    out.resize(static_cast<std::size_t>(length));
    return out;
}

// Paragraph/heading blocks only, in order.
inline std::vector<const gouji::Block*> text_blocks(const gouji::Document& d) {
    std::vector<const gouji::Block*> out;
    for (const auto& b : d.blocks)
        if (b.kind != gouji::BlockKind::Table) out.push_back(&b);
    return out;
}

inline std::vector<const gouji::Table*> tables(const gouji::Document& d) {
    std::vector<const gouji::Table*> out;
    for (const auto& b : d.blocks)
        if (b.kind == gouji::BlockKind::Table) out.push_back(&b.table);
    return out;
}

inline std::vector<std::string> cell_texts(const std::vector<gouji::TableCell>& row) {
    std::vector<std::string> out;
    for (const auto& c : row) out.push_back(c.text);
    return out;
}

// Non-empty cells of a row, as text: what survives whatever column shift.
inline std::vector<std::string> filled_cells(const std::vector<gouji::TableCell>& row) {
    std::vector<std::string> out;
    for (const auto& c : row)
        if (!c.text.empty()) out.push_back(c.text);
    return out;
}

// The first row of any table whose first non-empty cell is `label`.
inline const std::vector<gouji::TableCell>* find_row(const gouji::Document& d, const std::string& label) {
    for (const gouji::Table* t : tables(d))
        for (const auto& row : t->rows)
            for (const auto& c : row) {
                if (c.text.empty()) continue;
                if (c.text == label) return &row;
                break;
            }
    return nullptr;
}

}  // namespace reader_tests
