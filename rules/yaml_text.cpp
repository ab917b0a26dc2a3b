#include "rules/yaml_text.hpp"

#include <algorithm>

namespace gouji::rules {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Bytes a double-quoted escape occupies in the file, from its backslash.
std::size_t escape_length(const std::string& src, std::size_t at) {
    if (at + 1 >= src.size()) return 1;
    switch (src[at + 1]) {
        case 'x': return 4;
        case 'u': return 6;
        case 'U': return 10;
        default: return 2;
    }
}

// UTF-8 bytes of the value a double-quoted escape stands for.
std::size_t escape_produces(const std::string& src, std::size_t at, std::size_t len) {
    if (len == 2) {
        char e = src[at + 1];
        if (e == 'N' || e == '_') return 2;  // U+0085, U+00A0
        if (e == 'L' || e == 'P') return 3;  // U+2028, U+2029
        return 1;
    }
    if (at + len > src.size()) return 1;
    unsigned long cp = 0;
    for (std::size_t k = at + 2; k < at + len; ++k) {
        char h = src[k];
        int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : 0;
        cp = cp * 16 + static_cast<unsigned long>(d);
    }
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

// Aligns the value with the file text from `start`: equal bytes advance
// together; white space the YAML folding or indentation removed is skipped in
// the file; escapes map all their value bytes to the backslash.
std::vector<std::uint32_t> align(const std::string& value, const std::string& src, std::size_t start, char style) {
    std::vector<std::uint32_t> origin(value.size() + 1, static_cast<std::uint32_t>(start));
    std::size_t s = start, i = 0;
    while (i < value.size()) {
        if (s >= src.size()) {
            origin[i++] = static_cast<std::uint32_t>(src.size());
            continue;
        }
        char c = src[s];
        if (style == '"' && c == '\\') {
            std::size_t len = escape_length(src, s);
            if (s + 1 < src.size() && (src[s + 1] == '\n' || src[s + 1] == '\r')) {
                s += 2;  // an escaped line break produces nothing
                while (s < src.size() && is_space(src[s])) ++s;
                continue;
            }
            std::size_t produced = escape_produces(src, s, len);
            for (std::size_t k = 0; k < produced && i < value.size(); ++k) origin[i++] = static_cast<std::uint32_t>(s);
            s += len;
            continue;
        }
        if (style == '\'' && c == '\'' && s + 1 < src.size() && src[s + 1] == '\'') {
            origin[i++] = static_cast<std::uint32_t>(s);
            s += 2;
            continue;
        }
        if (c == value[i]) {
            origin[i++] = static_cast<std::uint32_t>(s++);
            continue;
        }
        if (is_space(c)) {
            ++s;
            continue;
        }
        // A folded line break became a space, or something unforeseen: keep going.
        origin[i++] = static_cast<std::uint32_t>(s);
        if (!is_space(value[i - 1])) ++s;
    }
    origin[value.size()] = static_cast<std::uint32_t>(std::min(s, src.size()));
    return origin;
}

// The node starts at its anchor or tag when it has one; the value follows them.
std::size_t skip_properties(const std::string& src, std::size_t at) {
    while (at < src.size() && (src[at] == '&' || src[at] == '!')) {
        while (at < src.size() && !is_space(src[at])) ++at;
        while (at < src.size() && is_space(src[at])) ++at;
    }
    return at;
}

// Where the quote that opens a quoted scalar is.
std::size_t opening_quote(const std::string& src, std::size_t at, char quote) {
    at = skip_properties(src, at);
    return at < src.size() && src[at] == quote ? at : std::min(src.find(quote, at), src.size());
}

}  // namespace

SourcePos YamlText::position(std::uint32_t offset) const {
    if (!source) return pos;
    std::uint32_t byte = origin.empty() ? value_start + std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()))
                                        : origin[std::min<std::size_t>(offset, origin.size() - 1)];
    return source->position_of(byte);
}

std::optional<std::uint32_t> comment_cut_short(const YamlText& value) {
    // Only a plain value written as it is on one line: a quoted one keeps its '#',
    // and a block's comments stand on lines of their own.
    if (value.quoted || !value.origin.empty() || !value.source) return std::nullopt;
    const std::string& src = value.source->text();
    std::size_t i = value.value_start + value.text.size();
    if (i > src.size() || value.text.find('\n') != std::string::npos) return std::nullopt;
    while (i < src.size() && (src[i] == ' ' || src[i] == '\t')) ++i;
    if (i == value.value_start + value.text.size() || i + 1 >= src.size() || src[i] != '#') return std::nullopt;
    const char next = src[i + 1];
    if (next == ' ' || next == '\t' || next == '#' || next == '\n' || next == '\r') return std::nullopt;
    return static_cast<std::uint32_t>(i);
}

SourcePos yaml_position(const YamlNode& node, const SourceText& source) { return source.position_of(node.start()); }

YamlText yaml_text(const YamlNode& node, const std::shared_ptr<const SourceText>& source) {
    YamlText t;
    t.present = true;
    t.source = source;
    t.text = node.scalar();
    const std::string& src = source->text();
    std::size_t start = std::min<std::size_t>(node.start(), src.size());
    t.pos = source->position_of(start);
    char style = ' ';  // as align() takes it
    switch (node.style()) {
        case YamlStyle::SingleQuoted:
        case YamlStyle::DoubleQuoted: {
            char quote = node.style() == YamlStyle::SingleQuoted ? '\'' : '"';
            t.quoted = true;
            style = quote;
            t.value_start = static_cast<std::uint32_t>(opening_quote(src, start, quote) + 1);
            break;
        }
        case YamlStyle::Literal:
        case YamlStyle::Folded: {
            // The value starts on the line after the block header.
            std::size_t body = src.find('\n', start);
            style = '|';
            t.value_start = static_cast<std::uint32_t>(body == std::string::npos ? src.size() : body + 1);
            break;
        }
        default:
            t.value_start = static_cast<std::uint32_t>(skip_properties(src, start));
    }
    // Most values (one line, no escapes) are written as they are: aligned only
    // when they are not, as a node is made for every name of every expression. A
    // quote or backslash in a quoted value was written as an escape ('' or \\),
    // which a value ending with it may match byte for byte up to its end.
    const bool escaped = (style == '\'' && t.text.find('\'') != std::string::npos) ||
                         (style == '"' && t.text.find('\\') != std::string::npos);
    if (escaped || t.value_start > src.size() || src.compare(t.value_start, t.text.size(), t.text) != 0)
        t.origin = align(t.text, src, t.value_start, style);
    return t;
}

}  // namespace gouji::rules
