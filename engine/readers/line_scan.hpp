// Line-by-line scanning of decoded (always valid UTF-8) text, shared by the
// plain-text and Markdown readers. Positions are 1-based, columns in characters.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/readers/page_furniture.hpp"
#include "gouji/source.hpp"
#include "gouji/text.hpp"

namespace gouji::line_scan {

// Decodes the character starting at s[i]; `s` is valid UTF-8 (decode_text's output).
inline char32_t char_at(std::string_view s, std::size_t i, std::size_t& length) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b0 = b(i);
    if (b0 < 0x80) { length = 1; return b0; }
    if (b0 < 0xE0) { length = 2; return (char32_t(b0 & 0x1F) << 6) | (b(i + 1) & 0x3F); }
    if (b0 < 0xF0) {
        length = 3;
        return (char32_t(b0 & 0x0F) << 12) | (char32_t(b(i + 1) & 0x3F) << 6) | (b(i + 2) & 0x3F);
    }
    length = 4;
    return (char32_t(b0 & 0x07) << 18) | (char32_t(b(i + 1) & 0x3F) << 12) | (char32_t(b(i + 2) & 0x3F) << 6) |
           (b(i + 3) & 0x3F);
}

// Start of the character that ends just before s[end].
inline std::size_t char_start_before(std::string_view s, std::size_t end) {
    std::size_t i = end - 1;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    return i;
}

// is_space with the common cases decided inline: every line starts and ends
// with a character to test, and past U+3000 only U+FEFF is white space.
inline bool is_blank(char32_t c) {
    if (c < 0x80) return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
    if (c > 0x3000 && c != 0xFEFF) return false;
    return is_space(c);
}

// A piece of a line with the 1-based character column where it starts.
struct Span {
    std::string_view text;
    std::uint32_t column = 1;
};

// Strips white space (including NBSP and U+3000) from both ends of `span`,
// moving its column past what was stripped on the left.
inline Span trim(Span span) {
    std::string_view s = span.text;
    std::size_t begin = 0;
    std::uint32_t column = span.column;
    while (begin < s.size()) {
        std::size_t length = 0;
        if (!is_blank(char_at(s, begin, length))) break;
        begin += length;
        ++column;
    }
    std::size_t end = s.size();
    while (end > begin) {
        std::size_t start = char_start_before(s, end);
        std::size_t length = 0;
        if (!is_blank(char_at(s, start, length))) break;
        end = start;
    }
    return {s.substr(begin, end - begin), column};
}

// Calls fn(line_number, line) for every line of `text`, without its "\n" or "\r\n".
template <class Fn>
void for_each_line(std::string_view text, Fn&& fn) {
    std::uint32_t line_number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        const void* found = std::memchr(text.data() + start, '\n', text.size() - start);
        std::size_t end = found ? static_cast<std::size_t>(static_cast<const char*>(found) - text.data()) : text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        fn(++line_number, line);
        start = end + 1;
    }
}

// Page footers and headers of PDF extracts ("— 1 —") inside the text. Such
// markers are short; the length test spares the recognizer every prose line.
inline bool is_page_furniture(std::string_view trimmed_line) {
    constexpr std::size_t kLongestMarker = 80;
    return trimmed_line.size() <= kLongestMarker && is_page_furniture_line(trimmed_line);
}

// Counts the blocks and cells a reader keeps against ReadLimits::max_blocks, so
// that memory stays proportional to the file whatever its shape.
class BlockBudget {
public:
    BlockBudget(const std::string& path, std::size_t limit) : path_(path), limit_(limit) {}
    void spend(SourcePos pos) {
        if (++used_ > limit_)
            throw InputError(path_, pos,
                             "too many lines and table cells (more than " + std::to_string(limit_) +
                                 "); this does not look like a report",
                             "check that this is the right file");
    }

private:
    const std::string& path_;
    std::size_t limit_;
    std::size_t used_ = 0;
};

}  // namespace gouji::line_scan
