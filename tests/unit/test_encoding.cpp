// decode_text: UTF-8 (BOM or not), GB18030, UTF-16 with BOM; everything else is
// refused with the line and column of the first bad byte.
#include <doctest/doctest.h>

#include <unicode/ucnv.h>

#include <random>
#include <string>

#include "gouji/readers.hpp"
#include "reader_test_support.hpp"

using gouji::InputError;

namespace {

std::string decode(const std::string& bytes, std::string& encoding) {
    return gouji::decode_text("report.txt", bytes, encoding);
}

// describe() of the InputError that decoding `bytes` throws ("" when it does not throw).
std::string decode_error(const std::string& bytes) {
    std::string encoding;
    try {
        gouji::decode_text("report.txt", bytes, encoding);
    } catch (const InputError& e) {
        return e.describe();
    }
    return {};
}

const std::string kChinese = "一、总体情况\n2020年，全县共收到政府信息公开申请８件。\n";

// `utf8` in the ICU converter `to` (UTF-16LE/BE write no BOM).
std::string convert(const char* to, const std::string& utf8) {
    UErrorCode status = U_ZERO_ERROR;
    std::string out(utf8.size() * 4 + 16, '\0');
    int32_t length = ucnv_convert(to, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                                  static_cast<int32_t>(utf8.size()), &status);
    REQUIRE(U_SUCCESS(status));
    out.resize(static_cast<std::size_t>(length));
    return out;
}

}  // namespace

TEST_CASE("encoding: UTF-8 without BOM is returned unchanged") {
    std::string encoding;
    CHECK(decode(kChinese, encoding) == kChinese);
    CHECK(encoding == "UTF-8");
}

TEST_CASE("encoding: a line ended by a lone carriage return is a line, CRLF stays") {
    std::string encoding;
    CHECK(decode("一、总体情况\r收到申请８件。\r", encoding) == "一、总体情况\n收到申请８件。\n");
    CHECK(decode("一、总体情况\r\n收到申请８件。\r\n", encoding) == "一、总体情况\r\n收到申请８件。\r\n");
    CHECK(decode("a\r\rb\r\n", encoding) == "a\n\nb\r\n");
}

TEST_CASE("encoding: plain ASCII is UTF-8") {
    std::string encoding;
    CHECK(decode("abc 123\n", encoding) == "abc 123\n");
    CHECK(encoding == "UTF-8");
}

TEST_CASE("encoding: the UTF-8 BOM is stripped and named") {
    std::string encoding;
    CHECK(decode("\xEF\xBB\xBF" + kChinese, encoding) == kChinese);
    CHECK(encoding == "UTF-8 (BOM)");
}

TEST_CASE("encoding: GB18030 text decodes to the same UTF-8") {
    std::string gb = reader_tests::to_gb18030(kChinese);
    REQUIRE(gb != kChinese);
    CHECK(gb.substr(0, 4) == "\xD2\xBB\xA1\xA2");  // 一、
    std::string encoding;
    CHECK(decode(gb, encoding) == kChinese);
    CHECK(encoding == "GB18030");
}

TEST_CASE("encoding: GB18030 four-byte sequences (characters outside GBK)") {
    // 𠀀 (U+20000) and € are four-byte / two-byte in GB18030.
    std::string text = "政府信息公开年度报告𠀀，费用0€。\n";
    std::string encoding;
    CHECK(decode(reader_tests::to_gb18030(text), encoding) == text);
    CHECK(encoding == "GB18030");
}

TEST_CASE("encoding: the whole GB18030 fixture decodes") {
    std::string bytes = reader_tests::file_bytes(reader_tests::fixture_path("text/gb18030-2020.txt"));
    std::string expected = reader_tests::file_bytes(reader_tests::fixture_path("text/src/gb18030-2020.utf8.txt"));
    std::string encoding;
    CHECK(decode(bytes, encoding) == expected);
    CHECK(encoding == "GB18030");
}

TEST_CASE("encoding: UTF-16 with a BOM is decoded (both byte orders)") {
    std::string le = "\xFF\xFE";
    std::string be = "\xFE\xFF";
    for (char32_t c : std::u32string(U"年报\n")) {
        le += static_cast<char>(c & 0xFF);
        le += static_cast<char>(c >> 8);
        be += static_cast<char>(c >> 8);
        be += static_cast<char>(c & 0xFF);
    }
    std::string encoding;
    CHECK(decode(le, encoding) == "年报\n");
    CHECK(encoding == "UTF-16LE");
    CHECK(decode(be, encoding) == "年报\n");
    CHECK(encoding == "UTF-16BE");
}

TEST_CASE("encoding: UTF-16 without a BOM is decoded (both byte orders)") {
    std::string encoding;
    CHECK(decode(convert("UTF-16LE", kChinese), encoding) == kChinese);
    CHECK(encoding == "UTF-16LE");
    CHECK(decode(convert("UTF-16BE", kChinese), encoding) == kChinese);
    CHECK(encoding == "UTF-16BE");
    // Mostly ASCII (markup, digits, Latin letters): every other byte is a NUL.
    const std::string markup = "<p>2020 annual report: 1102 requests</p>\n";
    CHECK(decode(convert("UTF-16LE", markup), encoding) == markup);
    CHECK(encoding == "UTF-16LE");
    // Chinese without one ASCII character has no NUL byte at all.
    CHECK(decode(convert("UTF-16LE", "政府信息公开工作年度报告"), encoding) == "政府信息公开工作年度报告");
    CHECK(encoding == "UTF-16LE");
    CHECK(decode(convert("UTF-16BE", "政府信息公开工作年度报告"), encoding) == "政府信息公开工作年度报告");
    CHECK(encoding == "UTF-16BE");
    // A bullet in Word's symbol font is a private-use character: one is no reason to doubt.
    std::string page;
    for (int i = 0; i < 5; ++i) page += kChinese;
    const std::string bulleted = page + "\uF0B7 " + page;
    CHECK(decode(convert("UTF-16LE", bulleted), encoding) == bulleted);
    CHECK(encoding == "UTF-16LE");
}

TEST_CASE("encoding: every corpus report in UTF-16 without a BOM is recognized and decodes back") {
    for (const char* name : {"000_831a942c0d0dfd8c.txt", "001_64c08c7c78b4b61b.txt", "002_0ec7f487509b9c4f.txt",
                             "003_facd0ed23eb95129.txt", "004_361d8fbe3341eb2a.txt"}) {
        std::string utf8 = reader_tests::file_bytes(reader_tests::corpus_path("seeds", name));
        for (const char* order : {"UTF-16LE", "UTF-16BE"}) {
            std::string encoding;
            INFO(name << " in " << order);
            CHECK(decode(convert(order, utf8), encoding) == utf8);
            CHECK(encoding == std::string(order));
        }
    }
}

TEST_CASE("encoding: UTF-16 without a BOM that cannot be told with confidence says so") {
    // Private-use characters: the NUL bytes fall as UTF-16's do, but the text does
    // not read as UTF-16.
    std::string private_use = convert("UTF-16LE", "年度报告\n\uE000\uE001\uE002\n2020\n");
    std::string message = decode_error(private_use);
    CHECK(message.starts_with("report.txt: error: binary file, or text in UTF-16 or another encoding gouji cannot "
                              "recognise (NUL byte at offset "));
    CHECK(message.ends_with("(if it is a text report, save it as UTF-8 or GB18030)"));
}

TEST_CASE("encoding: UTF-16 cut in the middle of a character is refused at its end, with or without a BOM") {
    // An odd number of bytes whose rest reads cleanly as UTF-16: its last line
    // break lost half its bytes. It used to be called binary without a BOM.
    const std::string cut_off = "report.txt:2:23: error: the UTF-16 text ends in half a character: the file was cut off "
                                "(copy or save the file again)";
    for (const std::string order : {"UTF-16LE", "UTF-16BE"}) {
        INFO(order);
        std::string cut = convert(order.c_str(), kChinese);
        cut.pop_back();
        CHECK(decode_error(cut) == cut_off);
        CHECK(decode_error((order == "UTF-16LE" ? "\xFF\xFE" : "\xFE\xFF") + cut) == cut_off);
        // Chinese without one ASCII character has no NUL: told once it is neither UTF-8 nor GB18030.
        std::string no_ascii = convert(order.c_str(), "政府信息公开工作年度报告");
        no_ascii.pop_back();
        CHECK(decode_error(no_ascii) == "report.txt:1:12: error: the UTF-16 text ends in half a character: the file was "
                                        "cut off (copy or save the file again)");
    }
    // A BOM and one byte: half of the first character.
    CHECK(decode_error("\xFE\xFF\x4E") == "report.txt:1:1: error: the UTF-16 text ends in half a character: the file "
                                          "was cut off (copy or save the file again)");
    // Cut between the two units of a character beyond U+FFFF (𠀀, U+20000): its first
    // unit is whole, and half of the character all the same.
    for (const std::string order : {"UTF-16LE", "UTF-16BE"}) {
        INFO(order);
        std::string cut = convert(order.c_str(), "年度报告\n第𠀀");
        cut.resize(cut.size() - 2);
        CHECK(decode_error((order == "UTF-16LE" ? "\xFF\xFE" : "\xFE\xFF") + cut) ==
              "report.txt:2:2: error: the UTF-16 text ends in half a character: the file was cut off (copy or save "
              "the file again)");
    }
}

TEST_CASE("encoding: binary files with NUL bytes are not taken for UTF-16") {
    // Binary formats put their NULs at both even and odd offsets, and what their
    // bytes would be as UTF-16 is no report's characters.
    std::string png = std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0", 29);
    CHECK(decode_error(png).starts_with("report.txt: error: binary file (NUL byte at offset 8) (give the report as text"));
    std::string elf = std::string("\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3E\0\x01\0\0\0", 24);
    CHECK(decode_error(elf).starts_with("report.txt: error: binary file (NUL byte at offset 7)"));
    // Latin letters with NULs between them as some binary formats store names:
    // two letters read as one hanzi, mostly a rare one, so never a report.
    std::mt19937 random(11);
    for (int round = 0; round < 200; ++round) {
        std::string bytes;
        for (int i = 0; i < 512; ++i) {
            bytes += static_cast<char>('a' + random() % 26);
            if (random() % 8 == 0) bytes += '\0';
        }
        if (bytes.size() % 2) bytes += 'x';
        INFO("round " << round);
        CHECK(decode_error(bytes).find("error: binary file") != std::string::npos);
    }
}

TEST_CASE("encoding: ISO-2022 text is refused by name, with where its first shift is") {
    // ICU writes the GB2312 designation as iconv does: ESC $ ) A, then SO ... SI.
    std::string cn = convert("ISO-2022-CN", "2020 report\n一、总体情况\n");
    REQUIRE(cn.find("\x1B$)A") != std::string::npos);
    CHECK(decode_error(cn) ==
          "report.txt:2:1: error: the text is in ISO-2022-CN (7-bit, switched by ESC $ ) A and shift codes), which gouji "
          "does not read (convert it to UTF-8 or GB18030, e.g. iconv -f ISO-2022-CN -t UTF-8)");
    // iconv writes the em dash of "0595—85662126" in CNS 11643 plane 1, which ICU cannot read back.
    CHECK(decode_error("tel 0595\x1B$)G\x0E!7\x0F" "85662126\n").starts_with(
        "report.txt:1:9: error: the text is in ISO-2022-CN (7-bit, switched by ESC $ ) G and shift codes)"));
    CHECK(decode_error(convert("ISO-2022-JP", "年度報告\n")).starts_with(
        "report.txt:1:1: error: the text is in ISO-2022-JP (7-bit, switched by ESC $ B and shift codes)"));
    CHECK(decode_error(convert("ISO-2022-KR", "년도 보고서\n")).starts_with(
        "report.txt:1:1: error: the text is in ISO-2022-KR (7-bit, switched by ESC $ ) C and shift codes)"));
    // An escape that designates nothing (a terminal's colour codes) is not ISO-2022.
    std::string encoding;
    CHECK(decode("\x1B[31m2020\x1B[0m\n", encoding) == "\x1B[31m2020\x1B[0m\n");
}

TEST_CASE("encoding: UTF-7 Chinese is refused, ASCII with plus signs stays ASCII") {
    std::string utf7 = convert("UTF-7", "2020年度政府信息公开工作年度报告\n");
    REQUIRE(utf7.starts_with("2020+"));
    CHECK(decode_error(utf7) ==
          "report.txt:1:5: error: the text is in UTF-7 (Chinese written as +…- runs of letters), which gouji does not "
          "read (convert it to UTF-8 or GB18030, e.g. iconv -f UTF-7 -t UTF-8)");
    std::string encoding;
    const std::string ascii =
        "1 + 1 = 2; C++; tel. +86-591-12345678; a+b; x+abcA\n"
        "signature == \"RG5gyEH8CAAh3lxgbt2PLPAHPO8p6i9+cn5dqHfUUYM=\"\n";
    CHECK(decode(ascii, encoding) == ascii);
    CHECK(encoding == "UTF-8");
}

TEST_CASE("encoding: UTF-16 with an unpaired surrogate is refused") {
    // Within the text (at its end, it is a character cut in half: above).
    std::string bytes = "\xFF\xFE" + std::string("A\0\n\0B\0\x00\xD8" "C\0", 10);
    CHECK(decode_error(bytes) ==
          "report.txt:2:2: error: not valid UTF-16 (unpaired surrogate or truncated file) (re-save the file as UTF-8)");
}

TEST_CASE("encoding: UTF-32 is refused with a clear message") {
    CHECK(decode_error(std::string("\xFF\xFE\0\0A\0\0\0", 8)) ==
          "report.txt: error: the text is in UTF-32, which gouji does not read (re-save the file as UTF-8)");
}

TEST_CASE("encoding: an empty file, or one holding only a BOM, is an error") {
    CHECK(decode_error("") == "report.txt: error: file is empty (it holds no report: download or copy the report again, or leave it out)");
    CHECK(decode_error("\xEF\xBB\xBF") == "report.txt: error: file is empty but for its byte-order mark (it holds no report: download or copy the report again, or leave it out)");
    CHECK(decode_error("\xFF\xFE") == "report.txt: error: file is empty but for its byte-order mark (it holds no report: download or copy the report again, or leave it out)");
}

TEST_CASE("encoding: NUL bytes mean a binary file") {
    CHECK(decode_error(std::string("abc\0def", 7)) ==
          "report.txt: error: binary file (NUL byte at offset 3) (give the report as text, Markdown, HTML, DOCX or PDF)");
}

TEST_CASE("encoding: invalid UTF-8 in Chinese text names the line and character column") {
    // Line 2, after the four characters "申请数量": column 5.
    std::string bytes = "第一行\n申请数量\xFF" "8件\n第三行\n";
    CHECK(decode_error(bytes) ==
          "report.txt:2:5: error: not valid UTF-8 or GB18030: first bad byte 0xFF (re-save the file as UTF-8)");
}

TEST_CASE("encoding: a file cut off inside its last character says so, in UTF-8 and in GB18030") {
    std::string bytes = "总计\n合计" + std::string("\xE5\x90");
    CHECK(decode_error(bytes) == "report.txt:2:3: error: the UTF-8 text ends in part of a character: the file was cut off "
                                 "(copy or save the file again)");
    CHECK(decode_error("\xEF\xBB\xBF" + bytes) ==
          "report.txt:2:3: error: the UTF-8 text ends in part of a character: the file was cut off (copy or save the file again)");
    // The first byte of a two-byte character, and the first two of a four-byte one.
    const std::string gb = reader_tests::to_gb18030("第一行文字\n第二行有字");
    for (std::string cut : {gb + "\xD6", gb + "\x81\x30"})
        CHECK(decode_error(cut) == "report.txt:2:6: error: the GB18030 text ends in part of a character: the file was "
                                   "cut off (copy or save the file again)");
    // A bad byte before the end is damage, as before.
    CHECK(decode_error("总计\n合计" + std::string("\xE5\x90") + "尾").starts_with("report.txt:2:3: error: not valid UTF-8"));
}

TEST_CASE("encoding: surrogates, overlong forms and broken continuations are not UTF-8, behind a BOM too") {
    // The validator steps over common three-byte characters quickly; the leads with
    // narrower second-byte ranges (E0, ED) and bad continuations must still fail.
    const std::string bom = "\xEF\xBB\xBF";
    for (std::string bad : {"\xED\xA0\x80", "\xE0\x80\xAF", "\xE4\x41\x42", "\xEF\xBC"}) {
        std::string bytes = bom + "中文，" + bad + "尾";
        CHECK(decode_error(bytes).starts_with("report.txt:1:4: error: not valid UTF-8"));
    }
    std::string encoding;
    CHECK(gouji::decode_text("r.txt", bom + "中文，（一）\xEE\x80\x80", encoding) == "中文，（一）\xEE\x80\x80");
}

TEST_CASE("encoding: after a UTF-8 BOM a bad byte is damage, not GB18030") {
    std::string bytes = "\xEF\xBB\xBF" + reader_tests::to_gb18030("政府信息公开");
    CHECK(decode_error(bytes) ==
          "report.txt:1:1: error: not valid UTF-8 or GB18030: first bad byte 0xD5 (re-save the file as UTF-8)");
}

TEST_CASE("encoding: a damaged GB18030 file points at the damage") {
    std::string gb = reader_tests::to_gb18030("第一行文字\n第二行有坏字节");
    std::size_t second_line = gb.find('\n') + 1;
    gb[second_line + 2 * 3] = '\xFF';  // the lead byte of line 2's 4th character ("有")
    CHECK(decode_error(gb) ==
          "report.txt:2:4: error: not valid UTF-8 or GB18030: first bad byte 0xFF (re-save the file as UTF-8)");
}

TEST_CASE("encoding: Latin-1 text is neither UTF-8 nor GB18030") {
    CHECK(decode_error("Report\ncaf\xE9 au lait\n") ==
          "report.txt:2:4: error: not valid UTF-8 or GB18030: first bad byte 0xE9 (re-save the file as UTF-8)");
}

TEST_CASE("encoding: Big5 or Shift-JIS text, which GB18030 decodes into no Chinese, is said to be another encoding") {
    // "臺北市政府資訊公開年度報告\n本年度共受理申請20件。\n" in Big5 (iconv -t BIG5): every pair of
    // its bytes is a GB18030 character too, rare hanzi and private-use ones, so "not
    // valid GB18030" would be untrue.
    const std::string hex =
        "bb4fa55fa5abac46a9b2b8eab054a4bdb67da67eabd7b3f8a7690aa5bba67eabd7a640a8fcb27aa5d3bdd03230a5f3a1430a";
    std::string big5;
    for (std::size_t i = 0; i < hex.size(); i += 2) big5 += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    CHECK(decode_error(big5) == "report.txt:1:1: error: not valid UTF-8 (first bad byte 0xBB), and read as GB18030 it "
                                "is mostly rare characters, not a Chinese report's: likely another encoding (Big5, "
                                "Shift-JIS…) (re-save the file as UTF-8)");
}

TEST_CASE("encoding: random bytes are refused, never decoded into text") {
    // Seeded, so a failure reproduces. Without NULs (those are 'binary file').
    std::mt19937 random(20240531);
    for (std::size_t size : {64u, 100u, 256u, 1000u, 4096u, 65536u}) {
        for (int round = 0; round < 200; ++round) {
            std::string bytes(size, '\0');
            for (char& b : bytes) b = static_cast<char>(1 + random() % 255);
            std::string message = decode_error(bytes);
            INFO("size " << size << " round " << round);
            REQUIRE(message.find("error: not valid UTF-8 or GB18030: first bad byte 0x") != std::string::npos);
        }
    }
}

TEST_CASE("encoding: random bytes with NULs are a binary file") {
    std::mt19937 random(7);
    std::string bytes(4096, '\0');
    for (char& b : bytes) b = static_cast<char>(random() % 256);
    CHECK(decode_error(bytes).find("error: binary file (NUL byte at offset") != std::string::npos);
}

TEST_CASE("encoding: every corpus report re-encoded as GB18030 is recognized and decodes back") {
    for (const char* name : {"000_831a942c0d0dfd8c.txt", "001_64c08c7c78b4b61b.txt", "002_0ec7f487509b9c4f.txt",
                             "003_facd0ed23eb95129.txt", "004_361d8fbe3341eb2a.txt"}) {
        std::string utf8 = reader_tests::file_bytes(reader_tests::corpus_path("seeds", name));
        std::string encoding;
        INFO(name);
        CHECK(decode(reader_tests::to_gb18030(utf8), encoding) == utf8);
        CHECK(encoding == "GB18030");
    }
    for (const char* name : {"shuyang-2025.txt", "shanghai-office-2025.md"}) {
        std::string utf8 = reader_tests::file_bytes(reader_tests::corpus_path("real", name));
        std::string encoding;
        INFO(name);
        CHECK(decode(reader_tests::to_gb18030(utf8), encoding) == utf8);
        CHECK(encoding == "GB18030");
    }
}

TEST_CASE("encoding: one short Chinese line in GB18030 is recognized") {
    std::string encoding;
    CHECK(decode(reader_tests::to_gb18030("无\n"), encoding) == "无\n");
    CHECK(encoding == "GB18030");
    CHECK(decode(reader_tests::to_gb18030("本年度未收取信息处理费。"), encoding) == "本年度未收取信息处理费。");
}
