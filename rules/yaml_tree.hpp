// A read-only YAML document built from libyaml's parser events: mappings,
// sequences and scalars (with their style and whether a tag was written), aliases
// resolved to their anchored node, and the file byte where each node starts, so
// that every problem is reported at its line and column. Only the first document
// of a stream is read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gouji/source.hpp"

namespace gouji::rules {

enum class YamlKind : std::uint8_t { Null, Scalar, Sequence, Mapping };
enum class YamlStyle : std::uint8_t { Plain, SingleQuoted, DoubleQuoted, Literal, Folded, Flow, Block };

class YamlDocument;

// A node of a YamlDocument (a cheap handle; the document must outlive it). A
// default-constructed node stands for "absent", e.g. a missing key.
class YamlNode {
public:
    YamlNode() = default;

    explicit operator bool() const { return doc_ != nullptr; }
    YamlKind kind() const;
    bool is_null() const { return kind() == YamlKind::Null; }
    bool is_scalar() const { return kind() == YamlKind::Scalar; }
    bool is_sequence() const { return kind() == YamlKind::Sequence; }
    bool is_mapping() const { return kind() == YamlKind::Mapping; }
    YamlStyle style() const;
    // The byte of the file where the node starts (its anchor or tag, if written first).
    std::uint32_t start() const;
    // A scalar's value ("" for anything else).
    std::string_view scalar() const;

    // Items of a sequence, or keys and values of a mapping alternately.
    std::size_t size() const;
    YamlNode item(std::size_t i) const;
    // The value of the first key of a mapping whose scalar is `key`; absent otherwise.
    YamlNode operator[](std::string_view key) const;

    // Where item `i` is written as an alias (*name) of an anchored node, which
    // item(i) is: the alias's byte and the anchor's name; nullopt otherwise.
    std::optional<std::pair<std::uint32_t, std::string_view>> alias_of_item(std::size_t i) const;

    // Mapping entries, in file order.
    std::vector<struct YamlEntry> entries() const;
    // Sequence items, in file order.
    std::vector<YamlNode> items() const;

private:
    friend class YamlDocument;
    YamlNode(const YamlDocument* doc, std::uint32_t index) : doc_(doc), index_(index) {}

    const YamlDocument* doc_ = nullptr;
    std::uint32_t index_ = 0;
};

struct YamlEntry {
    YamlNode key, value;
};

struct YamlSyntaxError {
    std::string message;                        // libyaml's problem, and what it was parsing
    std::uint32_t byte = 0;                     // where in the file
    std::optional<std::uint32_t> context_byte;  // where what it was parsing starts
    std::string unknown_alias;                  // the name of an alias no anchor defines, if that is the error

    // The message, naming the line and column of the context.
    std::string describe(const SourceText& source) const;
};

// A key given again in one mapping: YAML reads it, and the node keeps the
// first one's value (operator[]), which is what a loader goes on checking.
struct YamlDuplicateKey {
    std::string key;
    std::uint32_t byte = 0;        // where the later one is
    std::uint32_t first_byte = 0;  // where the first one is
};

class YamlDocument {
public:
    // Parses `text` (UTF-8). On invalid YAML, `error` is set and the root is null.
    explicit YamlDocument(std::string_view text);

    YamlDocument(const YamlDocument&) = delete;
    YamlDocument& operator=(const YamlDocument&) = delete;

    YamlNode root() const { return YamlNode(this, 0); }
    const std::optional<YamlSyntaxError>& error() const { return error_; }
    // Keys given twice in a mapping, in file order (none when error() is set).
    const std::vector<YamlDuplicateKey>& duplicate_keys() const { return duplicate_keys_; }
    // The message that says duplicate key `d` in `source`.
    static std::string describe(const YamlDuplicateKey& d, const SourceText& source);

private:
    friend class YamlNode;
    friend class YamlTreeBuilder;

    struct NodeData {
        YamlKind kind = YamlKind::Null;
        YamlStyle style = YamlStyle::Plain;
        std::uint32_t start = 0;
        std::uint32_t first = 0;   // scalar: offset in values_; container: offset in children_
        std::uint32_t count = 0;   // scalar: length; container: number of children
    };

    std::vector<NodeData> nodes_;
    std::vector<std::uint32_t> children_;
    std::string values_;
    std::optional<YamlSyntaxError> error_;
    std::vector<YamlDuplicateKey> duplicate_keys_;
    // The items written as aliases: in which container, its item index, where, and the anchor's name.
    struct AliasUse {
        std::uint32_t container = 0;
        std::uint32_t item = 0;
        std::uint32_t byte = 0;
        std::string name;
    };
    std::vector<AliasUse> aliases_;
};

// A YAML file's bytes, nullopt when it cannot be opened or read, with the OS's
// errno in `error` (for std::strerror: the error line says why). Read in chunks
// to at most max_yaml_file_bytes: no rule pack or template file comes near it,
// and one that runs past it (/dev/zero, a report given as --pack) is nullopt
// too, with `too_large` set, instead of being read into memory to its last byte.
inline constexpr std::size_t max_yaml_file_bytes = 16u << 20;
std::optional<std::string> read_yaml_file(const std::string& path, bool* too_large = nullptr, int* error = nullptr);
// What to do about a YAML file read_yaml_file() could not read for `error`.
std::string yaml_file_hint(int error);

}  // namespace gouji::rules
