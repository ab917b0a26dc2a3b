// Bad and hostile input for the file, text and Markdown readers: every case ends
// in an InputError that says what is wrong (or in a normal read), never a crash,
// a hang or unbounded memory. Inputs are generated here, in a private temp folder.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "gouji/readers.hpp"
#include "reader_test_support.hpp"

using gouji::Document;
using gouji::InputError;
using gouji::ReadLimits;
using reader_tests::TempDir;

namespace {

std::string read_error(const std::string& path, const ReadLimits& limits = {}) {
    try {
        gouji::read_document(path, limits);
    } catch (const InputError& e) {
        return e.describe();
    }
    return {};
}

const std::string kParagraph =
    "\u00A0\u00A0\u00A0\u00A0（二）依申请公开情况。全年共收到政府信息公开申请１２０６件，其中当面申请500件，网络申请464件，"
    "信函申请242件；予以公开616件，部分公开105件，不予公开83件，无法提供242件，不予处理95件，其他处理33件。\n\n"
    "一、本年新收政府信息公开申请数量\n\n    1102\n\n    64\n\n    2\n\n";

}  // namespace

TEST_CASE("bad input: an empty file") {
    TempDir dir;
    std::string path = dir.write("empty.txt", "");
    // What happened, and what to do: the hint is what the line ends with.
    CHECK(read_error(path) == path + ": error: file is empty (it holds no report: download or copy the report again, or leave it out)");
    CHECK(read_error(dir.write("empty.md", "")) == dir.file("empty.md") + ": error: file is empty (it holds no report: download or copy the report again, or leave it out)");
    CHECK(read_error(dir.write("bom.txt", "\xEF\xBB\xBF")) ==
          dir.file("bom.txt") + ": error: file is empty but for its byte-order mark (it holds no report: download or copy the report again, or leave it out)");
}

TEST_CASE("bad input: random bytes (seeded) are refused with the first bad byte") {
    TempDir dir;
    std::mt19937 random(1234);
    std::string bytes(8192, '\0');
    for (char& b : bytes) b = static_cast<char>(1 + random() % 255);
    std::string message = read_error(dir.write("noise.txt", bytes));
    CHECK(message.find("error: not valid UTF-8 or GB18030: first bad byte 0x") != std::string::npos);
    CHECK(message.ends_with(" (re-save the file as UTF-8)"));
}

TEST_CASE("bad input: random bytes with NULs are a binary file") {
    TempDir dir;
    std::mt19937 random(99);
    std::string bytes(8192, '\0');
    for (char& b : bytes) b = static_cast<char>(random() % 256);
    bytes[0] = 'x';  // no accidental magic number
    CHECK(read_error(dir.write("noise.md", bytes)).find("error: binary file (NUL byte at offset") != std::string::npos);
}

TEST_CASE("bad input: invalid UTF-8 in the middle of a Chinese report names line and column") {
    TempDir dir;
    std::string text;
    for (int i = 0; i < 40; ++i) text += "全年共收到政府信息公开申请８件，均已按期答复。\n\n";
    // Line 81 gets a stray byte after "收到申请" (4 characters, so column 5).
    text += "收到申请\x9F" "12件\n";
    std::string path = dir.write("broken.txt", text);
    CHECK(read_error(path) ==
          path + ":81:5: error: not valid UTF-8 or GB18030: first bad byte 0x9F (re-save the file as UTF-8)");
    // The same in a Markdown table cell.
    std::string md = "# 报告\n\n| 一、本年新收 | 1\xC0\x80" "5 |\n";
    std::string md_path = dir.write("broken.md", md);
    CHECK(read_error(md_path) ==
          md_path + ":3:13: error: not valid UTF-8 or GB18030: first bad byte 0xC0 (re-save the file as UTF-8)");
}

// Speed and memory on this input are measured by bench/, not here.
TEST_CASE("bad input: a 50 MB text report is read whole") {
    TempDir dir;
    std::string bytes;
    const std::size_t target = 50u << 20;
    bytes.reserve(target + kParagraph.size());
    std::size_t copies = 0;
    while (bytes.size() < target) {
        bytes += kParagraph;
        ++copies;
    }
    std::string path = dir.write("big.txt", bytes);
    bytes = std::string();

    Document d = gouji::read_document(path);
    CHECK(d.format == "text");
    REQUIRE(d.blocks.size() == copies * 5);
    CHECK(d.blocks[1].text == "一、本年新收政府信息公开申请数量");
    CHECK(d.blocks.back().text == "2");
    CHECK(d.blocks.back().pos.line == copies * 10 - 1);
}

TEST_CASE("bad input: a 10 MB Markdown report with tables is read whole") {
    TempDir dir;
    const std::string chunk =
        "## 三、收到和处理政府信息公开申请情况\n\n"
        "| 一、本年新收政府信息公开申请数量 |  | 215 | 0 | 0 | 1 | 3 | 3 | 231 |\n|---|---|---|---|---|---|---|---|---|\n"
        "| 二、上年结转政府信息公开申请数量 |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n\n"
        "全市各级各部门受理信息公开申请 264 件，依法办结 259 件，结转至下年度继续办理数 5 件。\n\n";
    std::string bytes;
    std::size_t copies = 0;
    while (bytes.size() < (10u << 20)) {
        bytes += chunk;
        ++copies;
    }
    std::string path = dir.write("big.md", bytes);
    Document d = gouji::read_document(path);
    REQUIRE(d.blocks.size() == copies * 3);
    CHECK(d.blocks[1].table.rows.size() == 2);
    CHECK(d.blocks[1].table.rows[1][8].text == "0");
}

TEST_CASE("bad input: too many lines or cells are refused, not kept") {
    TempDir dir;
    ReadLimits limits;
    limits.max_blocks = 1000;
    std::string lines;
    for (int i = 0; i < 1001; ++i) lines += "0\n";
    std::string path = dir.write("cells.txt", lines);
    CHECK(read_error(path, limits) == path +
                                          ":1001:1: error: too many lines and table cells (more than 1000); this does "
                                          "not look like a report (check that this is the right file)");
    std::string pipes = "x\n" + std::string(5000, '|') + "\n";
    std::string md_path = dir.write("pipes.md", pipes);
    CHECK(read_error(md_path, limits).find(":2:1001: error: too many lines and table cells") != std::string::npos);
    // Within the limit all is read.
    lines.resize(lines.size() - 2);
    CHECK(gouji::read_document(dir.write("ok.txt", lines), limits).blocks.size() == 1000);
}

TEST_CASE("bad input: a file over the size limit is refused before it is read") {
    TempDir dir;
    ReadLimits limits;
    limits.max_file_bytes = 1024;
    std::string path = dir.write("big.txt", std::string(3000, 'a'));
    CHECK(read_error(path, limits) == path + ": error: file is 3 KiB; gouji reads at most 1 KiB (check that it is the report itself: a report's text is a few MiB; save it again without its images)");
    // Exactly at the limit is fine.
    CHECK(gouji::read_document(dir.write("fits.txt", std::string(1024, 'a')), limits).blocks.size() == 1);

    // The default limit, with a sparse 300 MiB file that takes no disk space.
    std::string huge = dir.file("huge.txt");
    dir.write("huge.txt", "");
    std::filesystem::resize_file(huge, 300u << 20);
    CHECK(read_error(huge) == huge + ": error: file is 300 MiB; gouji reads at most 256 MiB (check that it is the report itself: a report's text is a few MiB; save it again without its images)");
}

TEST_CASE("bad input: a missing file, a directory, an unreadable file") {
    TempDir dir;
    std::string missing = dir.file("nope.txt");
    CHECK(read_error(missing) == missing + ": error: cannot open file: No such file or directory (check the path)");
    CHECK(read_error(dir.path()) == dir.path() + ": error: is a directory, not a report file (check the path)");
    // The advice follows the OS's reason: a path to check is not a permission to give.
    if (::geteuid() != 0) {  // root reads everything (tests/unit/test_cli_hardening.cpp runs gouji as another user)
        std::string locked = dir.write("locked.txt", "内容");
        ::chmod(locked.c_str(), 0);
        CHECK(read_error(locked) == locked +
                                        ": error: cannot open file: Permission denied (give read access to it, or leave "
                                        "it out of the paths)");
    }
    std::string loop = dir.file("loop.txt");
    std::filesystem::create_symlink("loop.txt", loop);
    CHECK(read_error(loop) == loop + ": error: cannot open file: Too many levels of symbolic links (the link leads back "
                                     "to itself: point it at the file, or leave it out)");
    std::string file = dir.write("file.txt", "内容");
    CHECK(read_error(file + "/report.txt") == file + "/report.txt: error: cannot open file: Not a directory (check the "
                                                     "path: a part of it is a file, not a folder)");
}

TEST_CASE("bad input: containers that are not ours") {
    TempDir dir;
    // A whole archive ends with its end-of-central-directory record (here: no entries, no comment).
    const std::string entry("PK\x03\x04\x14\0\0\0xl/workbook.xml", 23);
    const std::string end_record = std::string("PK\x05\x06", 4) + std::string(18, '\0');
    std::string zip = dir.write("book.txt", entry + end_record);
    CHECK(read_error(zip) == zip +
                                 ": error: a ZIP archive without word/document.xml, so not a Word document (give a "
                                 ".docx, PDF, HTML, Markdown or text report)");
    std::string doc = dir.write("old.doc", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10));
    CHECK(read_error(doc) == doc + ": error: a legacy Office file (.doc/.xls/.wps) or a password-protected document (save it as .docx or "
                                 "PDF, without a password, and check that)");
    std::string png = dir.write("scan.txt", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16));
    CHECK(read_error(png) == png + ": error: binary file (NUL byte at offset 8) (give the report as text, Markdown, HTML, DOCX or PDF)");
}

TEST_CASE("bad input: an HTML page cut off inside a tag") {
    TempDir dir;
    const std::string page = "<html><body>\n<h2>三、收到和处理政府信息公开申请情况</h2>\n<table><tr><td>一、本年新收</td><td colspan";
    std::string cut = dir.write("cut.html", page);
    CHECK(read_error(cut) == cut + ":3:27: error: the HTML ends inside a tag: the file was cut off (download or save the page again)");
    // A '<' in text, and a page that ends in text, are read.
    std::string text = dir.write("lt.html", "<html><body><p>申请数 < 5");
    CHECK(read_error(text).empty());
    // Cut inside its last closing tags, a page lost nothing.
    std::string closing = dir.write("end.html", "<html><body><p>申请数5件</p></body></htm");
    CHECK(read_error(closing).empty());
}

TEST_CASE("bad input: an HTML page cut off between tags") {
    TempDir dir;
    // The 2021 fixture cut right after the "1" of "<td>14</td>" (line 122): read on,
    // its 表三 total would be 1 and its last sections missing.
    const std::string whole = reader_tests::file_bytes(reader_tests::fixture_path("html/report-2021.html"));
    const std::size_t cell = whole.find("        <td>14</td>\n      </tr>");
    REQUIRE(cell != std::string::npos);
    std::string cut = dir.write("cut.html", whole.substr(0, cell + std::strlen("        <td>1")));
    CHECK(read_error(cut) == cut +
                                 ":122:14: error: the HTML stops inside the <table> opened at line 78, with no </body> or "
                                 "</html> after it: the file was cut off (download or save the page again)");
    // Trailing white space moves nothing: the position is where the text stops.
    std::string spaced = dir.write("spaced.html", whole.substr(0, cell + std::strlen("        <td>14</td>")) + "\n\n");
    CHECK(read_error(spaced).starts_with(spaced + ":122:20: error: the HTML stops inside the <table> opened at line 78"));
    // Cut in the prose after the tables: the article's <div> is still open.
    const std::size_t prose = whole.find("五、存在的主要问题");
    REQUIRE(prose != std::string::npos);
    std::string in_prose = dir.write("prose.html", whole.substr(0, prose));
    CHECK(read_error(in_prose).find("error: the HTML stops inside the <div> opened at line ") != std::string::npos);
    // Cut in a script after the article, or in the <head> (the body never came).
    const std::size_t script = whole.rfind("document.querySelectorAll");
    std::string in_script = dir.write("script.html", whole.substr(0, script + 8));
    CHECK(read_error(in_script).find("error: the HTML stops inside the <script> opened at line ") != std::string::npos);
    std::string in_head = dir.write("head.html", "<html><head><title>年报</title><style>p { color: red");
    CHECK(read_error(in_head) == in_head + ":1:51: error: the HTML stops inside the <style> opened at line 1, with no "
                                           "</body> or </html> after it: the file was cut off (download or save the "
                                           "page again)");

    // Whole pages: closed tables and divisions without </body> and </html> (HTML
    // lets a page leave them out), a page that ends in its text, a table left
    // open before </body> or </html> (which gumbo ignores there), a fragment of
    // closed markup.
    const std::string bare = "<html><body><div><table><tr><td>合计</td><td>14</td></tr></table><p>完</p></div>";
    CHECK(read_error(dir.write("bare.html", bare)).empty());
    CHECK(read_error(dir.write("text.html", "<html><body><h2>六、其他</h2><p>无")).empty());
    CHECK(read_error(dir.write("open.html", "<html><body><table><tr><td>14</body>")).empty());
    CHECK(read_error(dir.write("open2.html", "<table><tr><td>14</html>")).empty());
    CHECK(read_error(dir.write("fragment.html", "<div><p>一、总体情况</p></div>")).empty());
    // A scraped article saved without its wrapper's </div>: it ends with a closed
    // paragraph, not mid-text or after an opening tag.
    CHECK(read_error(dir.write("unwrapped.html", "<div class=\"TRS_Editor\"><p>六、其他需要报告的事项</p><p>无。</p><p><br/></p>"))
              .empty());
    // Cut inside an inline element (<span>, <font>) that sloppy pages leave open is
    // still caught by the block around it; alone, it is not a cut.
    CHECK(read_error(dir.write("span.html", "<body><div><p><span>申请14")).find("inside the <div>") != std::string::npos);
    CHECK(read_error(dir.write("span2.html", "<body><p><font>申请14")).empty());
    CHECK(read_error(dir.write("whole.html", whole)).empty());
}

TEST_CASE("bad input: a .docx or .pdf cut off or holding something else") {
    TempDir dir;
    const std::string docx = reader_tests::file_bytes(reader_tests::fixture_path("docx/report-2020.docx"));
    const std::string pdf = reader_tests::file_bytes(reader_tests::fixture_path("pdf/report-2021.pdf"));

    // Cut after 400 bytes the archive has lost its directory (and the name word/document.xml).
    std::string cut400 = dir.write("cut400.docx", docx.substr(0, 400));
    CHECK(read_error(cut400) == cut400 +
                                    ": error: the ZIP archive is cut off or damaged: its end-of-central-directory record "
                                    "is missing (download or copy the file again)");
    // Cut inside the record, the same: whatever the name says.
    std::string cut_end = dir.write("cut-end.bin", docx.substr(0, docx.size() - 10));
    CHECK(read_error(cut_end).find("error: the ZIP archive is cut off or damaged") != std::string::npos);

    // A prefix of the signature is a file cut off; other content is not what the name says.
    std::string cut1 = dir.write("cut1.docx", docx.substr(0, 1));
    CHECK(read_error(cut1) == cut1 + ": error: the file is cut off: its one byte is only the start of a .docx file (a "
                                     "ZIP archive) (download or copy the file again)");
    std::string cut4 = dir.write("cut4.pdf", pdf.substr(0, 4));
    CHECK(read_error(cut4) ==
          cut4 + ": error: the file is cut off: its 4 bytes are only the start of a PDF (download or copy the file again)");
    std::string ole = dir.write("cut.DOC", "\xD0\xCF\x11");
    CHECK(read_error(ole).find("error: the file is cut off: its 3 bytes are only the start of a .doc file (an OLE2 "
                               "compound file)") != std::string::npos);
    std::string text = dir.write("report.pdf", "2020年政府信息公开工作年度报告\n一、总体情况\n");
    CHECK(read_error(text) == text + ": error: named .pdf but not a PDF: the file is damaged or not what its name says "
                                     "(download the file again, or give the report in a format gouji reads)");
    std::string sheet = dir.write("report.xlsx", "2020");
    CHECK(read_error(sheet).find("error: named .xlsx but not a .xlsx file (a ZIP archive)") != std::string::npos);

    // Content still decides: HTML saved under a .doc name (Word's "web page") is
    // read, a PDF named .docx is a PDF, an empty .pdf is empty.
    CHECK(read_error(dir.write("web.doc", "<html><body><p>一、总体情况</p></body></html>")).empty());
    CHECK(gouji::detect_format("report.docx", pdf) == gouji::Format::Pdf);
    CHECK(read_error(dir.write("empty.pdf", "")) == dir.file("empty.pdf") + ": error: file is empty (it holds no report: download or copy the report again, or leave it out)");
}

TEST_CASE("bad input: odd but valid text is read, not refused") {
    TempDir dir;
    // Only blank lines, NBSPs and footers: a document with no blocks.
    Document blank = gouji::read_document(dir.write("blank.txt", "\n\n\u00A0\u00A0\n\u3000\n— 1 —\n"));
    CHECK(blank.blocks.empty());
    // A single 1 MB line with no newline.
    std::string line(1u << 20, 'x');
    Document one = gouji::read_document(dir.write("line.txt", line));
    REQUIRE(one.blocks.size() == 1);
    CHECK(one.blocks[0].text.size() == line.size());
    // Unterminated table, lone pipes, stray markup.
    Document md = gouji::read_document(dir.write("odd.md", "|\n||\n| a\n**\n# \n|---|\n`|`\n"));
    REQUIRE(md.blocks.size() == 3);
    CHECK(md.blocks[0].table.rows.size() == 2);
    CHECK(reader_tests::cell_texts(md.blocks[0].table.rows[0]) == std::vector<std::string>{""});
    CHECK(md.blocks[1].text == "**");
    CHECK(md.blocks[2].text == "`|`");
}

TEST_CASE("bad input: every refusal says what happened, and apart from it what to do") {
    // docs/findings.md: an error's `message` says what happened (with the OS's
    // reason), its `hint` what to do; the JSON gives them apart, the line joins them.
    TempDir dir;
    ReadLimits small;
    small.max_file_bytes = 1024;
    std::vector<std::function<void()>> refusals = {
        [&] { gouji::read_document(dir.write("empty.txt", "")); },
        [&] { gouji::read_document(dir.write("bom.txt", "\xEF\xBB\xBF")); },
        [&] { gouji::read_document(dir.write("utf16.txt", "\xFF\xFE")); },
        [&] { gouji::read_document(dir.write("utf32.txt", std::string("\xFF\xFE\0\0a\0\0\0", 8))); },
        [&] { gouji::read_document(dir.write("surrogate.txt", std::string("\xFF\xFE\x00\xD8\x41\x00", 6))); },
        [&] { gouji::read_document(dir.write("latin1.txt", "caf\xE9 au lait, na\xEFve r\xE9sum\xE9\n")); },
        [&] { gouji::read_document(dir.write("binary.txt", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16))); },
        [&] { gouji::read_document(dir.write("big.txt", std::string(3000, 'a')), small); },
        [&] { gouji::read_html("big.html", "<html>" + std::string(3000, 'a'), small); },
        [&] { gouji::read_docx("big.docx", std::string(3000, 'a'), small); },
        [&] { gouji::read_docx("empty.docx", "", {}); },
        [&] { gouji::read_document(dir.write("empty.pdf", "")); },
        [&] { gouji::read_document(dir.file("missing.txt")); },
        [&] { gouji::read_document(dir.path()); },
        [&] { gouji::read_document(dir.write("cut.docx", "PK")); },
        [&] { gouji::read_document(dir.write("cut.pdf", "%PDF-1.7\n1 0 obj")); },
    };
    for (std::size_t i = 0; i < refusals.size(); ++i) {
        CAPTURE(i);
        try {
            refusals[i]();
            FAIL("not refused");
        } catch (const InputError& e) {
            const std::string message = e.what();
            CAPTURE(message);
            CHECK_FALSE(e.hint().empty());
            for (const char* advice : {"re-save", "check the path", "run OCR", "download", "; gouji reads text"})
                CHECK(message.find(advice) == std::string::npos);
        }
    }
}
