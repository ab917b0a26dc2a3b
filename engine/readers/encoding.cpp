// Encoding detection. Reports come as UTF-8 (with or without BOM) or GB18030/GBK;
// a few as UTF-16 with a BOM (Windows "Unicode" text), which we decode too.
// Anything else is refused with the position of the first bad byte: decoding
// garbage into plausible-looking text would let the audit report nonsense.
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "engine/readers/line_scan.hpp"
#include "gouji/readers.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Writes c as UTF-8 at out; returns the end.
char* put_utf8(char* out, char32_t c) {
    if (c < 0x80) {
        *out++ = static_cast<char>(c);
    } else if (c < 0x800) {
        *out++ = static_cast<char>(0xC0 | (c >> 6));
        *out++ = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *out++ = static_cast<char>(0xE0 | (c >> 12));
        *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (c & 0x3F));
    } else {
        *out++ = static_cast<char>(0xF0 | (c >> 18));
        *out++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (c & 0x3F));
    }
    return out;
}

// Appends UTF-16 code units (no unpaired surrogates) to out as UTF-8.
void append_utf8(std::string& out, const UChar* units, std::size_t count) {
    std::size_t old_size = out.size();
    out.resize(old_size + count * 3);  // a BMP unit takes at most 3 bytes, a pair 4
    char* end = out.data() + old_size;
    for (std::size_t i = 0; i < count;) {
        UChar32 c;
        U16_NEXT(units, i, count, c);
        end = put_utf8(end, static_cast<char32_t>(c));
    }
    out.resize(static_cast<std::size_t>(end - out.data()));
}

// Offset of the first byte that does not start a well-formed UTF-8 sequence, or
// npos. This is the readers' hot path, so unlike text.hpp's is_valid_utf8 it
// decodes nothing and skips ASCII eight bytes at a time.
std::size_t first_invalid_utf8(std::string_view bytes) {
    const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    std::size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            std::uint64_t word;
            std::memcpy(&word, s + i, sizeof word);
            if ((word & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned char lead = s[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        // Chinese text is three-byte characters (ideographs, full-width punctuation)
        // whose leads other than E0 and ED admit any continuation bytes: checked
        // here before the general case.
        if (lead >= 0xE1 && lead <= 0xEF && lead != 0xED && n - i >= 3 && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
        std::size_t length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) low = 0xA0;
            if (lead == 0xED) high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) low = 0x90;
            if (lead == 0xF4) high = 0x8F;
        } else {
            return i;
        }
        if (n - i < length || s[i + 1] < low || s[i + 1] > high) return i;
        for (std::size_t k = 2; k < length; ++k)
            if ((s[i + k] & 0xC0) != 0x80) return i;
        i += length;
    }
    return std::string_view::npos;
}

// Strict decoding stops at the first byte sequence that is invalid or unmapped,
// so a file in some other encoding is never silently turned into wrong text.
struct StrictDecoding {
    std::string utf8;  // everything decoded before the failure (all of it when ok)
    bool ok = true;
    std::size_t bad_offset = 0;  // byte offset of the first bad sequence
};

StrictDecoding decode_strict(const char* converter_name, std::string_view bytes) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, decltype(&ucnv_close)> converter(ucnv_open(converter_name, &status), &ucnv_close);
    if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU has no converter ") + converter_name);
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);

    StrictDecoding result;
    result.utf8.reserve(bytes.size() + bytes.size() / 2);
    // Chunks keep memory bounded whatever the file size; a lead surrogate at the
    // end of a chunk waits for its trail in the next one.
    std::vector<UChar> chunk(1u << 16);
    std::size_t carried = 0;
    const char* source = bytes.data();
    const char* source_limit = bytes.data() + bytes.size();
    for (;;) {
        UChar* target = chunk.data() + carried;
        UErrorCode error = U_ZERO_ERROR;
        ucnv_toUnicode(converter.get(), &target, chunk.data() + chunk.size(), &source, source_limit, nullptr, true,
                       &error);
        auto produced = static_cast<std::size_t>(target - chunk.data());
        bool more = error == U_BUFFER_OVERFLOW_ERROR;
        std::size_t usable = produced;
        if (more && usable > 0 && U16_IS_LEAD(chunk[usable - 1])) --usable;
        append_utf8(result.utf8, chunk.data(), usable);
        carried = produced - usable;
        if (carried) chunk[0] = chunk[usable];
        if (more) continue;
        if (U_FAILURE(error)) {
            char invalid[32];
            std::int8_t invalid_length = sizeof invalid;
            UErrorCode ignored = U_ZERO_ERROR;
            ucnv_getInvalidChars(converter.get(), invalid, &invalid_length, &ignored);
            result.ok = false;
            auto consumed = static_cast<std::size_t>(source - bytes.data());
            auto invalid_bytes = static_cast<std::size_t>(U_SUCCESS(ignored) ? invalid_length : 0);
            result.bad_offset = std::min(consumed - std::min(consumed, invalid_bytes), bytes.size() - 1);
        }
        return result;
    }
}

// What kinds of characters a decoding produced: GB18030 accepts many byte
// strings, so a clean decode alone does not prove the file is Chinese text.
struct CharacterMix {
    std::size_t non_ascii = 0;
    std::size_t ideographs = 0;
    std::size_t private_use = 0;
    std::size_t controls = 0;
    std::size_t unassigned = 0;
};

bool is_ideograph(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x3FFFF);
}

CharacterMix character_mix(std::string_view utf8) {
    CharacterMix mix;
    for (std::size_t i = 0; i < utf8.size();) {
        std::size_t length = 0;
        char32_t c = line_scan::char_at(utf8, i, length);
        i += length;
        // Tab, line breaks, form feed and DOS's end-of-file mark occur in real text files.
        bool text_control = c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x1A;
        if ((c < 0x20 && !text_control) || (c >= 0x7F && c <= 0x9F)) ++mix.controls;
        if (c < 0x80) continue;
        ++mix.non_ascii;
        if (is_ideograph(c)) ++mix.ideographs;
        else if (!u_isdefined(static_cast<UChar32>(c))) ++mix.unassigned;
        if ((c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000) ++mix.private_use;
    }
    return mix;
}

// Bytes that are not text in the encoding tried decode to control, private-use
// and unassigned characters, which no written document contains.
bool looks_like_text(const CharacterMix& mix) {
    return mix.controls == 0 && mix.unassigned == 0 && mix.private_use * 100 <= mix.non_ascii;
}

// Chinese prose is, moreover, mostly ideographs among its non-ASCII characters.
bool looks_chinese(const CharacterMix& mix) {
    return looks_like_text(mix) && mix.non_ascii > 0 && mix.ideographs * 2 >= mix.non_ascii;
}

// Whether at least half of a GB18030 file's multi-byte characters lie in the
// GB2312 core (common hanzi and punctuation): over 90% do in any mainland report,
// about 30% in random bytes, which GBK's large rare-character areas otherwise accept.
bool mostly_common_gb_characters(std::string_view bytes) {
    std::size_t multibyte = 0;
    std::size_t common = 0;
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
    for (std::size_t i = 0; i < bytes.size();) {
        unsigned char lead = at(i);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        ++multibyte;
        if (i + 1 < bytes.size() && at(i + 1) >= 0x30 && at(i + 1) <= 0x39) {
            i += 4;  // four-byte sequence: outside GB2312 by construction
            continue;
        }
        if (i + 1 < bytes.size() && lead >= 0xA1 && lead <= 0xF7 && at(i + 1) >= 0xA1 && at(i + 1) <= 0xFE) ++common;
        i += 2;
    }
    return common * 2 >= multibyte;
}

// Line and column just after `prefix` (valid UTF-8), i.e. of the character that follows it.
SourcePos position_after(std::string_view prefix) {
    SourcePos pos;
    std::size_t line_start = 0;
    std::uint32_t line = 1;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (prefix[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    pos.line = line;
    pos.column = static_cast<std::uint32_t>(char_count(prefix.substr(line_start)) + 1);
    return pos;
}

std::string hex_byte(unsigned char b) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "0x%02X", b);
    return buffer;
}

[[noreturn]] void throw_undecodable(const std::string& path, SourcePos pos, unsigned char bad_byte) {
    throw InputError(path, pos,
                     "not valid UTF-8 or GB18030 (first bad byte " + hex_byte(bad_byte) + "); re-save the file as UTF-8");
}

void refuse_nul_bytes(const std::string& path, std::string_view text) {
    const void* nul = std::memchr(text.data(), '\0', text.size());
    if (!nul) return;
    auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
    throw InputError(path, {},
                     "binary file (NUL byte at offset " + std::to_string(offset) +
                         "); gouji reads text, Markdown, HTML, DOCX and PDF reports");
}

std::string decode_utf16(const std::string& path, std::string_view bytes, bool little_endian, std::string& encoding) {
    StrictDecoding decoded = decode_strict(little_endian ? "UTF-16LE" : "UTF-16BE", bytes.substr(2));
    if (!decoded.ok) {
        SourcePos pos = position_after(decoded.utf8);
        throw InputError(path, pos, "not valid UTF-16 (unpaired surrogate or truncated file); re-save the file as UTF-8");
    }
    if (decoded.utf8.empty()) throw InputError(path, {}, "file is empty");
    if (!looks_like_text(character_mix(decoded.utf8)))
        throw InputError(path, {}, "starts with a UTF-16 byte-order mark but is not UTF-16 text; re-save the file as UTF-8");
    refuse_nul_bytes(path, decoded.utf8);
    encoding = little_endian ? "UTF-16LE" : "UTF-16BE";
    return std::move(decoded.utf8);
}

}  // namespace

namespace {

std::string decode_as_written(const std::string& path, std::string_view bytes, std::string& encoding);

// A line ended by a lone "\r" (classic Mac OS, some exporters) is a line: without
// this a whole report would be one line. One byte for one, so positions stay.
std::string lone_returns_as_newlines(std::string text) {
    for (std::size_t i = text.find('\r'); i != std::string::npos; i = text.find('\r', i + 1))
        if (i + 1 == text.size() || text[i + 1] != '\n') text[i] = '\n';
    return text;
}

}  // namespace

std::string decode_text(const std::string& path, std::string_view bytes, std::string& encoding) {
    return lone_returns_as_newlines(decode_as_written(path, bytes, encoding));
}

namespace {

std::string decode_as_written(const std::string& path, std::string_view bytes, std::string& encoding) {
    if (bytes.empty()) throw InputError(path, {}, "file is empty");

    if (bytes.starts_with(std::string_view("\xFF\xFE\x00\x00", 4)) ||
        bytes.starts_with(std::string_view("\x00\x00\xFE\xFF", 4)))
        throw InputError(path, {}, "UTF-32 text is not supported; re-save the file as UTF-8");
    if (bytes.starts_with("\xFF\xFE")) return decode_utf16(path, bytes, true, encoding);
    if (bytes.starts_with("\xFE\xFF")) return decode_utf16(path, bytes, false, encoding);

    bool has_bom = bytes.starts_with(kUtf8Bom);
    std::string_view body = has_bom ? bytes.substr(kUtf8Bom.size()) : bytes;
    if (body.empty()) throw InputError(path, {}, "file is empty");
    refuse_nul_bytes(path, body);

    const std::size_t utf8_bad = first_invalid_utf8(body);
    if (utf8_bad == std::string_view::npos) {
        encoding = has_bom ? "UTF-8 (BOM)" : "UTF-8";
        return std::string(body);
    }
    auto bad_byte_at = [&](std::size_t offset) { return static_cast<unsigned char>(body[offset]); };
    // A BOM is the writer saying "UTF-8": an invalid byte after it is damage, not GB18030.
    if (has_bom) throw_undecodable(path, position_after(body.substr(0, utf8_bad)), bad_byte_at(utf8_bad));

    StrictDecoding gb = decode_strict("GB18030", body);
    CharacterMix mix = character_mix(gb.utf8);
    if (gb.ok && looks_chinese(mix) && mostly_common_gb_characters(body)) {
        encoding = "GB18030";
        return std::move(gb.utf8);
    }
    // A GB18030 file with one damaged spot: point at the damage, not at its first Chinese character.
    if (!gb.ok && gb.bad_offset > utf8_bad && looks_chinese(mix))
        throw_undecodable(path, position_after(gb.utf8), bad_byte_at(gb.bad_offset));
    throw_undecodable(path, position_after(body.substr(0, utf8_bad)), bad_byte_at(utf8_bad));
}

}  // namespace

}  // namespace gouji
