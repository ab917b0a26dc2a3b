// Text taken from a YAML file with, for every byte of the scalar's value, the
// byte of the file it came from, so that an error inside an expression is
// reported at the file's line and column whatever the scalar style (plain,
// '…', "…" with escapes, | and > block scalars, folded lines).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gouji/source.hpp"
#include "rules/yaml_tree.hpp"

namespace gouji::rules {

struct YamlText {
    std::string text;                     // the scalar's value
    // The file byte of each value byte (and of the end): text.size() + 1
    // entries; none when the value is written as is at `value_start`.
    std::vector<std::uint32_t> origin;
    std::uint32_t value_start = 0;
    std::shared_ptr<const SourceText> source;
    SourcePos pos;                        // where the node starts
    bool present = false;
    bool quoted = false;                  // written '…' or "…" (a string, not an expression)

    // The file position of byte `offset` of the value.
    SourcePos position(std::uint32_t offset) const;
};

// The scalar `node` of the file `source` (node must be a scalar).
YamlText yaml_text(const YamlNode& node, const std::shared_ptr<const SourceText>& source);

// Where YAML cut a plain value short at a '#' that reads as the value's own text
// (`message: 表三 #{c} 列`: " #" starts a comment, and the value is "表三"): the
// byte of that '#', when a space precedes it and a character other than a space
// or '#' follows it, as no comment is written; nullopt otherwise.
std::optional<std::uint32_t> comment_cut_short(const YamlText& value);

// The file position where `node` starts.
SourcePos yaml_position(const YamlNode& node, const SourceText& source);

}  // namespace gouji::rules
