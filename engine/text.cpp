#include "gouji/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <cstring>
#include <memory>
#include <mutex>

namespace gouji {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// NFKC of single BMP characters, computed once: folding is on every hot path.
class FoldTable {
public:
    FoldTable() {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
        for (char32_t c = 0; c < table_.size(); ++c) {
            table_[c] = c;
            if (c < 0x80 || U_FAILURE(status) || (c >= 0xD800 && c <= 0xDFFF)) continue;
            // Most characters are inert (NFKC leaves them alone) and precomposed Hangul
            // composes back to itself: asking ICU to normalize only the others makes
            // the table in a tenth of the time, and it is made in every process.
            if ((c >= 0xAC00 && c <= 0xD7A3) || nfkc->isInert(static_cast<UChar32>(c))) continue;
            icu::UnicodeString in(static_cast<UChar32>(c));
            UErrorCode st = U_ZERO_ERROR;
            icu::UnicodeString out = nfkc->normalize(in, st);
            if (U_SUCCESS(st) && out.countChar32() == 1) table_[c] = static_cast<char32_t>(out.char32At(0));
        }
        table_[0x00A0] = U' ';
        table_[0x3000] = U' ';
        // Ideographic punctuation that NFKC leaves alone but people use interchangeably.
        table_[0x3001] = U'、';
        table_[0x2014] = U'—';
    }
    char32_t operator[](char32_t c) const { return c < table_.size() ? table_[c] : c; }

private:
    std::array<char32_t, 0x10000> table_{};
};

const FoldTable& fold_table() {
    static const FoldTable table;
    return table;
}

bool is_numbering_char(char32_t c) {
    return (c >= U'0' && c <= U'9') || std::u32string_view(U"一二三四五六七八九十〇零两百").find(c) != std::u32string_view::npos;
}

}  // namespace

std::u32string to_u32(std::string_view utf8) {
    std::u32string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) out.push_back(next_char(utf8, i));
    return out;
}

namespace {

std::size_t utf8_length(char32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

// Writes the UTF-8 of one character at `p`, returns the end. Encoding runs for
// every figure, label and context of every report, so it writes into storage
// sized beforehand instead of appending byte by byte.
char* put_utf8(char* p, char32_t c) {
    if (c < 0x80) {
        *p++ = static_cast<char>(c);
    } else if (c < 0x800) {
        *p++ = static_cast<char>(0xC0 | (c >> 6));
        *p++ = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *p++ = static_cast<char>(0xE0 | (c >> 12));
        *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        *p++ = static_cast<char>(0x80 | (c & 0x3F));
    } else {
        *p++ = static_cast<char>(0xF0 | (c >> 18));
        *p++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        *p++ = static_cast<char>(0x80 | (c & 0x3F));
    }
    return p;
}

}  // namespace

std::string to_utf8(char32_t c) { return to_utf8(std::u32string_view(&c, 1)); }

std::string to_utf8(std::u32string_view text) {
    std::size_t length = 0;
    for (char32_t c : text) length += utf8_length(c);
    std::string out(length, '\0');
    char* p = out.data();
    for (char32_t c : text) p = put_utf8(p, c);
    return out;
}

std::string shortened(std::string_view utf8, std::size_t max_chars) {
    if (utf8.size() <= max_chars || char_count(utf8) <= max_chars) return std::string(utf8);
    std::size_t end = 0;
    for (std::size_t kept = 0; kept + 1 < max_chars && end < utf8.size(); ++kept)
        do ++end;
        while (end < utf8.size() && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80);
    return std::string(utf8.substr(0, end)) + "…";
}

std::size_t char_count(std::string_view utf8) {
    // Eight bytes at a time: a continuation byte has bit 7 set and bit 6 clear.
    // Long lines (a page published as one 150 KB line) make this a hot loop.
    constexpr std::uint64_t kHighBits = 0x8080808080808080ull;
    std::size_t continuation = 0;
    std::size_t i = 0;
    for (; i + 8 <= utf8.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, utf8.data() + i, 8);
        // One bit per continuation byte, moved to the byte's lowest bit and summed by
        // a multiply (std::popcount is a library call without -mpopcnt).
        std::uint64_t marks = (word & kHighBits & ~(word << 1)) >> 7;
        continuation += static_cast<std::size_t>((marks * 0x0101010101010101ull) >> 56);
    }
    for (; i < utf8.size(); ++i)
        if ((static_cast<unsigned char>(utf8[i]) & 0xC0) == 0x80) ++continuation;
    return utf8.size() - continuation;
}

std::uint64_t char_signature(std::string_view utf8) {
    std::uint64_t signature = 0;
    std::uint32_t ch = 0;
    auto add = [&] { signature |= std::uint64_t{1} << ((ch * 0x9E3779B1u) >> 26); };
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        auto b = static_cast<unsigned char>(utf8[i]);
        if ((b & 0xC0) != 0x80 && i > 0) {
            add();
            ch = 0;
        }
        ch = (ch << 8) | b;
    }
    if (!utf8.empty()) add();
    return signature;
}

bool is_valid_utf8(std::string_view bytes, std::size_t* bad_offset) {
    for (std::size_t i = 0; i < bytes.size();) {
        std::size_t start = i;
        char32_t c = next_char(bytes, i);
        if (c == kReplacement && !(i - start == 3 && bytes.substr(start, 3) == "\xEF\xBF\xBD")) {
            if (bad_offset) *bad_offset = start;
            return false;
        }
    }
    return true;
}

char32_t fold_char(char32_t c) { return fold_table()[c]; }

bool is_space_beyond_ascii(char32_t c) {
    // No White_Space character lies above U+3000 (is_space answers those inline).
    return c == 0x00A0 || c == 0x3000 || c == 0x200B || c == 0xFEFF || c == 0x2002 || c == 0x2003 || c == 0x2009 ||
           c == 0x00AD || (c > 0x7F && c <= 0x3000 && u_isUWhiteSpace(static_cast<UChar32>(c)));
}

FoldedText fold(std::string_view utf8) {
    FoldedText out;
    out.chars.reserve(utf8.size());
    out.origin.reserve(utf8.size());
    std::uint32_t index = 0;
    const FoldTable& table = fold_table();
    for (std::size_t i = 0; i < utf8.size(); ++index) {
        char32_t c = next_char(utf8, i);
        out.chars.push_back(table[c]);
        out.origin.push_back(index);
    }
    return out;
}

std::u32string fold_chars(std::string_view utf8) {
    // Sized for one character per byte, cut to what was decoded: no push_back per character.
    std::u32string out(utf8.size(), U'\0');
    const FoldTable& table = fold_table();
    std::size_t n = 0;
    for (std::size_t i = 0; i < utf8.size();) out[n++] = table[next_char(utf8, i)];
    out.resize(n);
    return out;
}

std::string collapse_spaces(std::string_view utf8) {
    std::u32string out;
    bool pending_space = false;
    for (char32_t c : fold_chars(utf8)) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(U' ');
        pending_space = false;
        out.push_back(c);
    }
    return to_utf8(out);
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string trim(std::string_view utf8) { return std::string(trim_view(utf8)); }

std::string_view trim_view(std::string_view utf8) {
    // Decodes only at the two ends: trimming runs on every line of every document.
    std::size_t begin = 0;
    while (begin < utf8.size()) {
        std::size_t next = begin;
        if (!is_space(next_char(utf8, next))) break;
        begin = next;
    }
    std::size_t end = utf8.size();
    while (end > begin) {
        std::size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(utf8[start]) & 0xC0) == 0x80) --start;
        std::size_t probe = start;
        if (!is_space(next_char(utf8, probe))) break;
        end = start;
    }
    return utf8.substr(begin, end - begin);
}

namespace {

// Length of a leading numbering mark ("一、", "(三)", "3.", "(1)", "①", "第一，"), 0 if none.
std::size_t numbering_length(std::u32string_view s) {
    if (s.empty()) return 0;
    if (s[0] >= U'①' && s[0] <= U'⑳') return 1;
    if (s[0] == U'(' || s[0] == U'[') {
        std::size_t k = 1;
        while (k < s.size() && k < 5 && is_numbering_char(s[k])) ++k;
        if (k > 1 && k < s.size() && (s[k] == U')' || s[k] == U']')) {
            std::size_t end = k + 1;
            if (end < s.size() && (s[end] == U'、' || s[end] == U'.')) ++end;
            return end;
        }
        return 0;
    }
    std::size_t k = 0;
    while (k < s.size() && k < 4 && is_numbering_char(s[k])) ++k;
    if (k == 0 || k >= s.size()) return 0;
    // "1." must not eat "1.5" (a decimal) — numbering is followed by a non-digit.
    if (s[k] == U'、' || s[k] == U',' || ((s[k] == U'.') && (k + 1 >= s.size() || !(s[k + 1] >= U'0' && s[k + 1] <= U'9'))))
        return k + 1;
    return 0;
}

bool is_label_noise(char32_t c) {
    if (c >= 0x4E00 && c <= 0x9FFF) return false;  // the ideographs labels are made of
    static constexpr std::u32string_view noise = U"\"'“”‘’「」『』《》*|:：·•";
    return is_space(c) || noise.find(c) != std::u32string_view::npos;
}

}  // namespace

std::string normalize_label(std::string_view utf8) {
    // Folded in the same pass, without fold()'s origin map: every label line of
    // every document comes through here.
    const FoldTable& table = fold_table();
    std::u32string compact(utf8.size(), U'\0');
    std::size_t kept = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t c = table[next_char(utf8, i)];
        if (!is_label_noise(c)) compact[kept++] = c;
    }
    compact.resize(kept);
    // Strip stacked numbering: "三、(一)予以公开" -> "予以公开".
    for (int guard = 0; guard < 3; ++guard) {
        std::size_t n = numbering_length(compact);
        if (n == 0 || n >= compact.size()) break;
        compact.erase(0, n);
    }
    return to_utf8(compact);
}

long long chinese_numeral_value(std::u32string_view text) {
    if (text.empty()) return -1;
    auto digit = [](char32_t c) -> int {
        switch (c) {
            case U'〇': case U'零': return 0;
            case U'一': return 1;
            case U'二': case U'两': return 2;
            case U'三': return 3;
            case U'四': return 4;
            case U'五': return 5;
            case U'六': return 6;
            case U'七': return 7;
            case U'八': return 8;
            case U'九': return 9;
            default: return -1;
        }
    };
    long long total = 0, section = 0, current = -1;
    bool any = false;
    for (char32_t c : text) {
        int d = digit(c);
        if (d >= 0) {
            current = d;
            any = true;
            continue;
        }
        long long unit = c == U'十' ? 10 : c == U'百' ? 100 : c == U'千' ? 1000 : c == U'万' ? 10000 : c == U'亿' ? 100000000 : 0;
        if (unit == 0) return -1;
        any = true;
        if (unit >= 10000) {
            section += current < 0 ? 0 : current;
            total += (section == 0 ? 1 : section) * unit;
            section = 0;
        } else {
            section += (current < 0 ? 1 : current) * unit;
        }
        current = -1;
    }
    if (!any) return -1;
    return total + section + (current < 0 ? 0 : current);
}

}  // namespace gouji
