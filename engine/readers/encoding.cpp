// Encoding detection. Reports come as UTF-8 (with or without BOM) or GB18030/GBK;
// a few as UTF-16 (Windows "Unicode" text), with a BOM or, from some exporters,
// without one, which we decode too. Anything else is refused with the position
// of the first bad byte: decoding garbage into plausible-looking text would let
// the audit report nonsense. 7-bit encodings (ISO-2022-CN/JP/KR, UTF-7) pass as
// ASCII, so they are recognised by their shift sequences and refused by name.
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "engine/readers/line_scan.hpp"
#include "engine/readers/reader_errors.hpp"
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

// Controls other than those real text files hold: tab, line breaks, form feed
// and DOS's end-of-file mark.
bool is_binary_control(char32_t c) {
    bool text_control = c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x1A;
    return (c < 0x20 && !text_control) || (c >= 0x7F && c <= 0x9F);
}

bool is_private_use(char32_t c) { return (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000; }

CharacterMix character_mix(std::string_view utf8) {
    CharacterMix mix;
    for (std::size_t i = 0; i < utf8.size();) {
        std::size_t length = 0;
        char32_t c = line_scan::char_at(utf8, i, length);
        i += length;
        if (is_binary_control(c)) ++mix.controls;
        if (c < 0x80) continue;
        ++mix.non_ascii;
        if (is_ideograph(c)) ++mix.ideographs;
        else if (!u_isdefined(static_cast<UChar32>(c))) ++mix.unassigned;
        if (is_private_use(c)) ++mix.private_use;
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

// A text whose only bad bytes are the start of a character at its very end was
// cut off mid-character (a download that stopped), not written in another encoding.
[[noreturn]] void throw_cut_off(const std::string& path, SourcePos pos, const char* encoding) {
    throw InputError(path, pos, std::string("the ") + encoding + " text ends in part of a character: the file was cut off",
                     "copy or save the file again");
}

// Whether the bytes from `offset` to the end are an incomplete UTF-8 character.
bool incomplete_utf8_at_end(std::string_view body, std::size_t offset) {
    const std::size_t rest = body.size() - offset;
    const auto lead = static_cast<unsigned char>(body[offset]);
    const std::size_t needs = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0;
    if (needs == 0 || rest >= needs) return false;
    for (std::size_t k = offset + 1; k < body.size(); ++k)
        if ((static_cast<unsigned char>(body[k]) & 0xC0) != 0x80) return false;
    return true;
}

// Whether the bytes from `offset` to the end are an incomplete GB18030 character:
// a lead byte and fewer bytes than its two or four.
bool incomplete_gb18030_at_end(std::string_view body, std::size_t offset) {
    const std::size_t rest = body.size() - offset;
    const auto lead = static_cast<unsigned char>(body[offset]);
    if (lead < 0x81 || lead > 0xFE) return false;
    if (rest == 1) return true;
    const auto second = static_cast<unsigned char>(body[offset + 1]);
    return rest < 4 && second >= 0x30 && second <= 0x39;  // a four-byte character's first two or three
}

[[noreturn]] void throw_undecodable(const std::string& path, SourcePos pos, unsigned char bad_byte) {
    throw InputError(path, pos,
                     "not valid UTF-8 or GB18030: first bad byte " + hex_byte(bad_byte),
                     reader_errors::kResaveAsUtf8);
}

// Bytes that are no UTF-8 but GB18030 takes (it has a character for nearly every
// pair of high bytes), giving no Chinese text: Big5's, Shift-JIS's or EUC-KR's
// pairs read as rare hanzi, Hangul and private-use characters. "Not valid
// GB18030" would be untrue of them. (GBK in traditional characters reads as rare
// hanzi too, hence "likely".)
[[noreturn]] void throw_other_encoding(const std::string& path, SourcePos pos, unsigned char bad_byte) {
    throw InputError(path, pos,
                     "not valid UTF-8 (first bad byte " + hex_byte(bad_byte) +
                         "), and read as GB18030 it is mostly rare characters, not a Chinese report's: likely "
                         "another encoding (Big5, Shift-JIS…)",
                     reader_errors::kResaveAsUtf8);
}

// What a report is written with: ASCII, common hanzi (GB2312's), CJK and
// full-width punctuation, the general punctuation of — “” …, Latin-1's · and ×,
// and the numbered and boxed symbols of lists. Bytes decoded in an encoding they
// are not in give other characters: Hangul, Yi, private-use and unassigned code
// points, and hanzi, but mostly rare ones (the same test as
// mostly_common_gb_characters).
class FamiliarCharacters {
public:
    FamiliarCharacters() : gb2312_(open_gb2312(), &ucnv_close) {}

    bool operator()(char32_t c) const {
        if (is_ideograph(c)) return c <= 0xFFFF && in_gb2312(static_cast<UChar>(c));
        return c < 0x80 || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
               (c >= 0x2000 && c <= 0x206F) || (c >= 0xA0 && c <= 0xFF) || (c >= 0x2150 && c <= 0x218F) ||
               (c >= 0x2460 && c <= 0x25FF);
    }

private:
    static UConverter* open_gb2312() {
        UErrorCode status = U_ZERO_ERROR;
        UConverter* converter = ucnv_open("GB2312", &status);
        if (U_FAILURE(status)) throw std::runtime_error("ICU has no converter GB2312");
        ucnv_setFromUCallBack(converter, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
        return converter;
    }

    bool in_gb2312(UChar c) const {
        char bytes[8];
        UErrorCode status = U_ZERO_ERROR;
        ucnv_fromUChars(gb2312_.get(), bytes, sizeof bytes, &c, 1, &status);
        return U_SUCCESS(status);
    }

    std::unique_ptr<UConverter, decltype(&ucnv_close)> gb2312_;
};

// ---------------------------------------------------------------- UTF-16 without a byte-order mark

// How much of a file tells its byte order: the first lines of a report.
constexpr std::size_t kUtf16SampleBytes = 4096;

// The first bytes of a file read as UTF-16 in one byte order.
struct Utf16Reading {
    std::size_t characters = 0;
    std::size_t familiar = 0;
    std::size_t strange = 0;      // NUL, binary control, unpaired surrogate or unassigned
    std::size_t private_use = 0;  // Word's symbol-font bullets (U+F0B7) are private-use
};

// The k-th UTF-16 unit of `bytes`.
char32_t utf16_unit(std::string_view bytes, std::size_t k, bool little_endian) {
    auto first = static_cast<unsigned char>(bytes[2 * k]);
    auto second = static_cast<unsigned char>(bytes[2 * k + 1]);
    return little_endian ? first | (second << 8) : (first << 8) | second;
}

Utf16Reading read_utf16_sample(std::string_view bytes, bool little_endian, const FamiliarCharacters& familiar) {
    std::string_view sample = bytes.substr(0, std::min(bytes.size(), kUtf16SampleBytes) & ~std::size_t{1});
    auto unit = [&](std::size_t k) { return utf16_unit(sample, k, little_endian); };
    Utf16Reading reading;
    const std::size_t units = sample.size() / 2;
    for (std::size_t k = 0; k < units;) {
        char32_t c = unit(k++);
        bool strange = false;
        if (U16_IS_LEAD(c)) {
            if (k == units) break;  // the sample ends between the two halves of a pair
            if (U16_IS_TRAIL(unit(k))) c = static_cast<char32_t>(U16_GET_SUPPLEMENTARY(c, unit(k++)));
            else strange = true;
        } else if (U16_IS_TRAIL(c)) {
            strange = true;
        }
        ++reading.characters;
        if (!strange && is_private_use(c)) {
            ++reading.private_use;
            continue;
        }
        strange = strange || c == 0 || is_binary_control(c) || !u_isdefined(static_cast<UChar32>(c));
        if (strange) ++reading.strange;
        else if (familiar(c)) ++reading.familiar;
    }
    return reading;
}

// A few private-use characters (a bullet in a symbol font) are a Word export's; the
// wrong byte order reads Chinese as far more of them, or as unassigned ones.
bool reads_as_text(const Utf16Reading& reading) {
    return reading.strange == 0 && reading.characters > 0 && reading.private_use * 100 <= reading.characters &&
           reading.familiar * 10 >= reading.characters * 9;
}

// The byte order (true: little-endian) of UTF-16 text without a BOM, when its
// first 4 KiB read as a report's characters in that order only. Checking the
// characters rather than counting NUL bytes also finds Chinese text, which has
// few: a NUL is the high byte of an ASCII character, or the low byte of 一 or 开.
// A file of an odd size is judged too: read so cleanly, it is UTF-16 cut off,
// and decode_utf16 says so rather than calling it binary.
std::optional<bool> utf16_byte_order(std::string_view bytes) {
    FamiliarCharacters familiar;
    bool little = reads_as_text(read_utf16_sample(bytes, true, familiar));
    bool big = reads_as_text(read_utf16_sample(bytes, false, familiar));
    if (little == big) return std::nullopt;
    return little;
}

// Mostly a report's characters as UTF-16, though not cleanly enough to decode:
// cut off mid-character, or holding private-use characters. A binary format
// read as UTF-16 gives such characters one time in eight or so.
bool might_be_utf16(std::string_view bytes) {
    FamiliarCharacters familiar;
    for (bool little_endian : {true, false}) {
        Utf16Reading reading = read_utf16_sample(bytes, little_endian, familiar);
        if (reading.characters > 0 && reading.familiar * 4 >= reading.characters * 3) return true;
    }
    return false;
}

void refuse_nul_bytes(const std::string& path, std::string_view text) {
    const void* nul = std::memchr(text.data(), '\0', text.size());
    if (!nul) return;
    auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
    if (might_be_utf16(text))
        throw InputError(path, {},
                         "binary file, or text in UTF-16 or another encoding gouji cannot recognise (NUL byte at offset " +
                             std::to_string(offset) + ")",
                         "if it is a text report, save it as UTF-8 or GB18030");
    throw InputError(path, {},
                     "binary file (NUL byte at offset " + std::to_string(offset) + ")",
                     "give the report as text, Markdown, HTML, DOCX or PDF");
}

// Whether the last UTF-16 unit of `units` (an even number of bytes) is the first
// of a surrogate pair: a character beyond U+FFFF whose second half was lost.
bool ends_in_lead_surrogate(std::string_view units, bool little_endian) {
    return units.size() >= 2 && U16_IS_LEAD(utf16_unit(units, units.size() / 2 - 1, little_endian));
}

// `body` is the text after any BOM. Without one, the byte order was told from
// the first 4 KiB: the rest must bear it out.
std::string decode_utf16(const std::string& path, std::string_view body, bool little_endian, bool has_bom,
                         std::string& encoding) {
    // ICU would call an odd last byte, or a last unit that opens a surrogate pair,
    // an unpaired surrogate or a truncated character; it is the first half of a
    // character whose second half was lost.
    std::string_view whole_units = body.substr(0, body.size() - body.size() % 2);
    bool cut = whole_units.size() != body.size();
    if (ends_in_lead_surrogate(whole_units, little_endian)) {
        whole_units.remove_suffix(2);
        cut = true;
    }
    if (cut) {
        std::string whole = whole_units.empty() ? "" : decode_utf16(path, whole_units, little_endian, has_bom, encoding);
        throw InputError(path, position_after(whole), "the UTF-16 text ends in half a character: the file was cut off",
                         "copy or save the file again");
    }
    StrictDecoding decoded = decode_strict(little_endian ? "UTF-16LE" : "UTF-16BE", body);
    if (!decoded.ok) {
        SourcePos pos = position_after(decoded.utf8);
        throw InputError(path, pos, "not valid UTF-16 (unpaired surrogate or truncated file)", reader_errors::kResaveAsUtf8);
    }
    if (decoded.utf8.empty()) throw InputError(path, {}, "file is empty but for its byte-order mark", reader_errors::kEmptyHint);
    if (!looks_like_text(character_mix(decoded.utf8))) {
        if (has_bom)
            throw InputError(path, {}, "starts with a UTF-16 byte-order mark but is not UTF-16 text", reader_errors::kResaveAsUtf8);
        refuse_nul_bytes(path, body);
        throw InputError(path, {}, "begins like UTF-16 text without a byte-order mark but does not continue as text",
                         "if it is a text report, save it as UTF-8 or GB18030");
    }
    refuse_nul_bytes(path, decoded.utf8);
    // Named as with a BOM: explain's JSON lists the names it gives (docs/explain-json.md).
    encoding = little_endian ? "UTF-16LE" : "UTF-16BE";
    return std::move(decoded.utf8);
}

// ---------------------------------------------------------------- 7-bit encodings

// The designations that open ISO-2022 text, after its ESC, and the encoding each
// belongs to. Their forms are fixed by the standards (RFC 1922, 1468, 1554, 1557).
struct Iso2022Designation {
    std::string_view after_escape;
    std::string_view encoding;
};
constexpr Iso2022Designation kIso2022Designations[] = {
    {"$)A", "ISO-2022-CN"},     {"$)G", "ISO-2022-CN"},     {"$*H", "ISO-2022-CN"},   {"$)E", "ISO-2022-CN-EXT"},
    {"$+I", "ISO-2022-CN-EXT"}, {"$+J", "ISO-2022-CN-EXT"}, {"$+K", "ISO-2022-CN-EXT"}, {"$+L", "ISO-2022-CN-EXT"},
    {"$+M", "ISO-2022-CN-EXT"}, {"$)C", "ISO-2022-KR"},     {"$B", "ISO-2022-JP"},    {"$@", "ISO-2022-JP"},
    {"$(B", "ISO-2022-JP"},     {"$(D", "ISO-2022-JP-1"},   {"$A", "ISO-2022-JP-2"},  {"$(C", "ISO-2022-JP-2"},
};

bool is_seven_bit(std::string_view bytes) {
    return std::none_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

std::string spelled_escape(std::string_view after_escape) {
    std::string out = "ESC";
    for (char c : after_escape) (out += ' ') += c;
    return out;
}

// Refused rather than decoded: ICU reads ISO-2022-CN, but not as iconv writes
// it. iconv puts — (U+2014) in CNS 11643 plane 1, where ICU maps nothing, and ·
// at another place than ICU's; reports are full of both. iconv, which made the
// file, converts it back exactly.
void refuse_iso2022(const std::string& path, std::string_view body) {
    for (std::size_t at = body.find('\x1B'); at != std::string_view::npos; at = body.find('\x1B', at + 1)) {
        std::string_view after = body.substr(at + 1, 3);
        for (const Iso2022Designation& d : kIso2022Designations) {
            if (!after.starts_with(d.after_escape)) continue;
            throw InputError(path, position_after(body.substr(0, at)),
                             "the text is in " + std::string(d.encoding) + " (7-bit, switched by " +
                                 spelled_escape(d.after_escape) + " and shift codes), which gouji does not read",
                             "convert it to UTF-8 or GB18030, e.g. iconv -f " + std::string(d.encoding) +
                                 " -t UTF-8");
        }
    }
}

bool is_base64_character(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
}

// UTF-7 writes Chinese as "+…-" runs of base64, so a 7-bit file that ICU decodes
// as UTF-7 into common hanzi is Chinese text in UTF-7. An ASCII file's stray "+"
// fails ICU's strict decoding ("1 + 1", "C++", "+86-591"); a "+" inside base64
// data ("…6i9+cn5dqHfUUYM=") decodes to a few characters, but rarely to common
// hanzi. We refuse rather than decode it: "+" is ordinary ASCII, so decoding
// would be a guess, and browsers do not read UTF-7 either.
void refuse_utf7(const std::string& path, std::string_view body) {
    std::size_t run = body.find('+');
    while (run != std::string_view::npos && (run + 1 == body.size() || !is_base64_character(body[run + 1])))
        run = body.find('+', run + 1);
    if (run == std::string_view::npos) return;
    StrictDecoding utf7 = decode_strict("UTF-7", body);
    if (!utf7.ok) return;
    FamiliarCharacters familiar;
    std::size_t non_ascii = 0;
    std::size_t common = 0;
    std::size_t hanzi = 0;
    for (std::size_t i = 0; i < utf7.utf8.size();) {
        std::size_t length = 0;
        char32_t c = line_scan::char_at(utf7.utf8, i, length);
        i += length;
        if (c < 0x80) continue;
        ++non_ascii;
        if (familiar(c)) ++common;
        if (is_ideograph(c)) ++hanzi;
    }
    constexpr std::size_t kFewestHanzi = 8;
    if (hanzi < kFewestHanzi || common * 10 < non_ascii * 9) return;
    throw InputError(path, position_after(body.substr(0, run)),
                     "the text is in UTF-7 (Chinese written as +…- runs of letters), which gouji does not read",
                     "convert it to UTF-8 or GB18030, e.g. iconv -f UTF-7 -t UTF-8");
}

// Well-formed UTF-8 that is 7-bit and holds shift sequences is another encoding's text.
void refuse_seven_bit_encodings(const std::string& path, std::string_view body) {
    bool escape = std::memchr(body.data(), '\x1B', body.size()) != nullptr;
    bool plus = std::memchr(body.data(), '+', body.size()) != nullptr;
    if (!(escape || plus) || !is_seven_bit(body)) return;
    if (escape) refuse_iso2022(path, body);
    if (plus) refuse_utf7(path, body);
}

bool starts_with_utf32_bom(std::string_view bytes) {
    return bytes.starts_with(std::string_view("\xFF\xFE\x00\x00", 4)) ||
           bytes.starts_with(std::string_view("\x00\x00\xFE\xFF", 4));
}

// How a file is UTF-16: after a byte-order mark, or without one when it holds a
// NUL (the high byte of an ASCII character) and reads as a report's characters
// in one byte order only (utf16_byte_order).
struct Utf16Form {
    bool little_endian = true;
    bool bom = false;
};

std::optional<Utf16Form> utf16_form(std::string_view bytes) {
    if (starts_with_utf32_bom(bytes)) return std::nullopt;
    if (bytes.starts_with("\xFF\xFE")) return Utf16Form{true, true};
    if (bytes.starts_with("\xFE\xFF")) return Utf16Form{false, true};
    if (bytes.starts_with(kUtf8Bom) || !std::memchr(bytes.data(), '\0', bytes.size())) return std::nullopt;
    if (std::optional<bool> little_endian = utf16_byte_order(bytes)) return Utf16Form{*little_endian, false};
    return std::nullopt;
}

}  // namespace

bool looks_like_utf16(std::string_view bytes) { return utf16_form(bytes).has_value(); }

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
    std::string text = decode_as_written(path, bytes, encoding);
    // A blank file is a failed download as an empty one is (a folder search
    // passed it over, silently, as no report).
    if (text.find_first_not_of(" \t\r\n\f\v") == std::string::npos)
        throw InputError(path, {}, "file is empty but for white space", reader_errors::kEmptyHint);
    return lone_returns_as_newlines(std::move(text));
}

namespace {

std::string decode_as_written(const std::string& path, std::string_view bytes, std::string& encoding) {
    if (bytes.empty()) throw InputError(path, {}, "file is empty", reader_errors::kEmptyHint);

    if (starts_with_utf32_bom(bytes))
        throw InputError(path, {}, "the text is in UTF-32, which gouji does not read", reader_errors::kResaveAsUtf8);
    if (std::optional<Utf16Form> utf16 = utf16_form(bytes))
        return decode_utf16(path, bytes.substr(utf16->bom ? 2 : 0), utf16->little_endian, utf16->bom, encoding);

    bool has_bom = bytes.starts_with(kUtf8Bom);
    std::string_view body = has_bom ? bytes.substr(kUtf8Bom.size()) : bytes;
    if (body.empty()) throw InputError(path, {}, "file is empty but for its byte-order mark", reader_errors::kEmptyHint);
    refuse_nul_bytes(path, body);

    const std::size_t utf8_bad = first_invalid_utf8(body);
    if (utf8_bad == std::string_view::npos) {
        refuse_seven_bit_encodings(path, body);
        encoding = has_bom ? "UTF-8 (BOM)" : "UTF-8";
        return std::string(body);
    }
    auto bad_byte_at = [&](std::size_t offset) { return static_cast<unsigned char>(body[offset]); };
    // A BOM is the writer saying "UTF-8": an invalid byte after it is damage, not GB18030.
    if (has_bom) {
        if (incomplete_utf8_at_end(body, utf8_bad)) throw_cut_off(path, position_after(body.substr(0, utf8_bad)), "UTF-8");
        throw_undecodable(path, position_after(body.substr(0, utf8_bad)), bad_byte_at(utf8_bad));
    }

    StrictDecoding gb = decode_strict("GB18030", body);
    CharacterMix mix = character_mix(gb.utf8);
    if (gb.ok && looks_chinese(mix) && mostly_common_gb_characters(body)) {
        encoding = "GB18030";
        return std::move(gb.utf8);
    }
    // UTF-16 Chinese without an ASCII character has no NUL byte. Its high bytes
    // (0x4E-0x9F) never pair into GB2312's core, so GB18030 never takes it.
    if (std::optional<bool> little_endian = utf16_byte_order(body))
        return decode_utf16(path, body, *little_endian, false, encoding);
    // A GB18030 file with one damaged spot: point at the damage, not at its first Chinese character.
    if (!gb.ok && gb.bad_offset > utf8_bad && looks_chinese(mix)) {
        if (incomplete_gb18030_at_end(body, gb.bad_offset)) throw_cut_off(path, position_after(gb.utf8), "GB18030");
        throw_undecodable(path, position_after(gb.utf8), bad_byte_at(gb.bad_offset));
    }
    if (incomplete_utf8_at_end(body, utf8_bad)) throw_cut_off(path, position_after(body.substr(0, utf8_bad)), "UTF-8");
    if (gb.ok) throw_other_encoding(path, position_after(body.substr(0, utf8_bad)), bad_byte_at(utf8_bad));
    throw_undecodable(path, position_after(body.substr(0, utf8_bad)), bad_byte_at(utf8_bad));
}

}  // namespace

}  // namespace gouji
