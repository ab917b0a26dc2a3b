// How gouji writes JSON: one way for every command and output, so that a
// document written an entry at a time reads byte for byte as the whole would.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace gouji {

// `j` as the commands print it, its keys in the order docs/ shows them (an
// ordered_json: a plain json would sort them). A file name need not be UTF-8
// (GBK names from Windows archives): its bytes that are not are written as U+FFFD.
std::string json_text(const nlohmann::ordered_json& j);
// `j` as json_text() writes it `depth` levels inside a document, every line (the
// first too) `depth` spaces further in: a long array written an element at a
// time reads byte for byte as json_text() of the whole, never held whole.
std::string nested_json_text(const nlohmann::ordered_json& j, std::size_t depth);

}  // namespace gouji
