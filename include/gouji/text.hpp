// Unicode text helpers shared by every stage. Matching is done on folded text
// (NFKC per character, no spaces) while positions keep pointing at the original.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gouji {

// UTF-8 <-> UTF-32. Invalid UTF-8 sequences decode to U+FFFD one byte at a time.
std::u32string to_u32(std::string_view utf8);
std::string to_utf8(std::u32string_view text);
std::string to_utf8(char32_t c);
// Number of characters (code points) in a UTF-8 string.
std::size_t char_count(std::string_view utf8);
// `utf8` cut to at most `max_chars` characters, the last of them "…" when cut
// (between characters, never inside one). max_chars >= 1.
std::string shortened(std::string_view utf8, std::size_t max_chars);
// The set of characters in a UTF-8 string, hashed into 64 bits. When a string
// contains another, the other's signature is a subset of its own, so one AND
// rejects most label pairs before any search.
std::uint64_t char_signature(std::string_view utf8);
inline bool signature_within(std::uint64_t part, std::uint64_t whole) { return (part & ~whole) == 0; }
// True when the bytes are well-formed UTF-8; `bad_offset` gets the first bad byte.
bool is_valid_utf8(std::string_view bytes, std::size_t* bad_offset = nullptr);

// NFKC of one character when that gives exactly one character (full-width digits,
// letters and punctuation, U+3000 and NBSP -> ' '); the character itself otherwise.
char32_t fold_char(char32_t c);
// Unicode white space, NBSP, U+3000, zero-width space/BOM. Inline for the common
// cases because every stage asks it of every character: ASCII, and everything past
// U+3000 (all of CJK), where only U+FEFF is space.
bool is_space_beyond_ascii(char32_t c);
inline bool is_space(char32_t c) {
    if (c < 0x80) return c == U' ' || (c >= U'\t' && c <= U'\r');
    if (c > 0x3000) return c == 0xFEFF;
    return is_space_beyond_ascii(c);
}

// Folded text with, for every folded character, the index of the character of the
// original it came from: lets a match in folded text be located in the original.
struct FoldedText {
    std::u32string chars;
    std::vector<std::uint32_t> origin;  // same length as chars: index into the original's characters
};
FoldedText fold(std::string_view utf8);
// The folded characters alone, for callers that never map back.
std::u32string fold_chars(std::string_view utf8);

// For label matching: fold, drop all white space, drop leading numbering
// ("一、", "（三）", "3.", "(1)"), drop quotes and brackets' content markers.
std::string normalize_label(std::string_view utf8);
// Fold and collapse runs of white space to one ' ', trimmed.
std::string collapse_spaces(std::string_view utf8);
// Trim Unicode white space at both ends.
std::string trim(std::string_view utf8);
// A-Z as a-z, every other byte as it is: the language's words ("Error", "AND").
std::string ascii_lower(std::string_view s);
std::string_view trim_view(std::string_view utf8);
// The character starting at byte i; i moves past it. A bad byte, an overlong
// form or a surrogate gives U+FFFD and moves one byte. Inline: every stage
// decodes every character of the document through it.
inline char32_t next_char(std::string_view s, std::size_t& i) {
    constexpr char32_t replacement = 0xFFFD;
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    std::size_t len = 0;
    char32_t cp = 0;
    if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; }
    else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; }
    else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; }
    else { ++i; return replacement; }
    if (i + len > s.size()) { ++i; return replacement; }
    for (std::size_t k = 1; k < len; ++k) {
        unsigned char b = byte(i + k);
        if ((b & 0xC0) != 0x80) { ++i; return replacement; }
        cp = (cp << 6) | (b & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return replacement;
    }
    i += len;
    return cp;
}

// Chinese numeral (一…九十九, 〇/零, 两, 百/千/万) to its value; -1 when not one.
long long chinese_numeral_value(std::u32string_view text);

}  // namespace gouji
