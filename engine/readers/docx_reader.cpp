// DOCX reader: the zip container is opened from memory, word/document.xml is
// inflated under a size cap (a zip bomb is refused, never inflated), and the
// body's paragraphs and tables become blocks.
//
// Positions: a DOCX has no lines, so SourcePos.line is the running number of the
// paragraph (w:p) in document order, counting the paragraphs inside table cells
// and nested tables too (text boxes are not read and not counted); column is 1.
// A table's position is its first paragraph; a cell's is its first paragraph.
//
// pugixml parses and frees iteratively, and every walk below keeps an explicit
// stack, so deeply nested XML cannot overflow the stack.
//
// Every paragraph (empty ones too) and every table cell counts against
// ReadLimits::max_blocks, as in the text readers: a few kilobytes of zip can hold
// millions of empty <w:tc/>, each of which would become a kept cell. A byte scan
// counts them before pugixml builds its tree (tens of bytes per element), so such
// a part is refused without the tree; the body walk counts again, exactly, for
// the UTF-16 parts the byte scan cannot read.
//
// pugixml copies bytes through unchecked, so word/document.xml is checked to be
// UTF-8 (the package format allows only UTF-8 and UTF-16) before it is parsed.
#include <pugixml.hpp>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "engine/readers/line_scan.hpp"
#include "engine/readers/reader_errors.hpp"
#include "engine/readers/zip_signature.hpp"
#include "gouji/readers.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

constexpr const char* kDocumentPart = "word/document.xml";
constexpr const char* kStylesPart = "word/styles.xml";
constexpr std::size_t kReadChunk = 1u << 16;
constexpr std::uint32_t kMaxTableColumns = 1000;
constexpr int kMaxStyleChain = 16;
constexpr const char* kWordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kStrictWordNamespace = "http://purl.oclc.org/ooxml/wordprocessingml/main";
constexpr const char* kDamagedHint = "the file is damaged or not a Word document; re-save it from Word as .docx";

std::string size_text(std::size_t bytes) {
    if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes) + " bytes";
}

// ---------------------------------------------------------------- zip container

class ZipArchive {
public:
    ZipArchive(const std::string& path, std::string_view bytes) : path_(path) {
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
        if (source) {
            archive_ = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
            if (!archive_) zip_source_free(source);
        }
        if (!archive_) {
            int code = zip_error_code_zip(&error);
            std::string reason = zip_error_strerror(&error);
            zip_error_fini(&error);
            // libzip says "not a zip" for any archive whose directory it cannot
            // find; with an entry's header at the start and no directory at the
            // end, the download stopped short.
            bool zip_start = bytes.starts_with(zip_signature::kLocalHeader);
            if (code == ZIP_ER_NOZIP && zip_start && !zip_signature::has_end_record(bytes))
                throw InputError(path_, {},
                                 "the ZIP archive is cut off or damaged: its end-of-central-directory record is missing",
                                 "download or copy the file again");
            if (code == ZIP_ER_INCONS || (code == ZIP_ER_NOZIP && zip_start))
                throw InputError(path_, {}, "the ZIP archive is damaged (" + reason + ")",
                                 "download or copy the file again, or re-save it from Word as .docx");
            throw InputError(path_, {}, "not a readable DOCX (zip archive): " + reason, kDamagedHint);
        }
        zip_error_fini(&error);
    }
    ~ZipArchive() { zip_discard(archive_); }
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    // The inflated part, or nothing when the archive has no such part. Reading
    // stops as soon as the output passes `limit`, whatever the headers claim.
    std::optional<std::string> read(const char* name, std::size_t limit) {
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat(archive_, name, 0, &stat) != 0) return std::nullopt;
        if ((stat.valid & ZIP_STAT_SIZE) && stat.size > limit) refuse_inflation(name, limit);

        std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen(archive_, name, 0), &zip_fclose);
        if (!file) throw InputError(path_, {}, std::string("cannot open ") + name + ": " + zip_strerror(archive_), kDamagedHint);
        std::string content;
        if (stat.valid & ZIP_STAT_SIZE) content.reserve(static_cast<std::size_t>(stat.size));
        std::vector<char> chunk(kReadChunk);
        for (;;) {
            zip_int64_t n = zip_fread(file.get(), chunk.data(), chunk.size());
            if (n < 0)
                throw InputError(path_, {},
                                 std::string("cannot inflate ") + name + ": " + zip_error_strerror(zip_file_get_error(file.get())),
                                 kDamagedHint);
            if (n == 0) break;
            if (content.size() + static_cast<std::size_t>(n) > limit) refuse_inflation(name, limit);
            content.append(chunk.data(), static_cast<std::size_t>(n));
        }
        return content;
    }

private:
    [[noreturn]] void refuse_inflation(const char* name, std::size_t limit) const {
        throw InputError(path_, {}, std::string(name) + " inflates beyond " + size_text(limit) + "; refusing",
                         "a report's text is a few megabytes; this looks like a zip bomb");
    }

    std::string path_;
    zip_t* archive_ = nullptr;
};

// ---------------------------------------------------------------- WordprocessingML names

// Element names with the document's own prefix for the WordprocessingML namespace
// (Word writes "w:", other producers may not).
struct WordNames {
    explicit WordNames(const pugi::xml_node& root) {
        std::string prefix = "w";
        for (const pugi::xml_attribute& a : root.attributes()) {
            std::string_view name = a.name();
            if (!name.starts_with("xmlns:")) continue;
            if (std::strcmp(a.value(), kWordNamespace) == 0 || std::strcmp(a.value(), kStrictWordNamespace) == 0)
                prefix = std::string(name.substr(6));
        }
        prefix_ = prefix + ":";
    }
    std::string operator()(std::string_view local) const { return prefix_ + std::string(local); }
    // The local name when `node` is in the WordprocessingML namespace, else empty.
    std::string_view local(const pugi::xml_node& node) const {
        std::string_view name = node.name();
        if (!name.starts_with(prefix_)) return {};
        return name.substr(prefix_.size());
    }

private:
    std::string prefix_;
};

// "1", "true", "on" or no value mean on for WordprocessingML toggles.
bool toggle_value(const pugi::xml_node& element, const WordNames& w) {
    pugi::xml_attribute val = element.attribute(w("val").c_str());
    if (!val) return true;
    std::string_view v = val.value();
    return !(v == "0" || v == "false" || v == "off" || v == "none");
}

int int_value(const pugi::xml_node& element, const WordNames& w, int fallback) {
    pugi::xml_attribute val = element.attribute(w("val").c_str());
    if (!val) return fallback;
    return val.as_int(fallback);
}

// ---------------------------------------------------------------- styles

struct StyleInfo {
    int heading_level = 0;         // from the style's outline level or its "heading N" name
    std::optional<bool> bold;      // w:b in the style's run properties
    std::string based_on;
};

using StyleTable = std::unordered_map<std::string, StyleInfo>;

// Level N of a "heading N" / "标题 N" style name, 0 otherwise.
int heading_level_from_name(std::string_view name) {
    std::string lower;
    for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    std::string_view s = lower;
    for (std::string_view prefix : {std::string_view("heading"), std::string_view("标题")}) {
        if (!s.starts_with(prefix)) continue;
        std::string_view rest = s.substr(prefix.size());
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        if (rest.size() == 1 && rest[0] >= '1' && rest[0] <= '9') return rest[0] - '0';
    }
    return 0;
}

StyleTable read_styles(const std::optional<std::string>& xml) {
    StyleTable styles;
    if (!xml) return styles;
    pugi::xml_document doc;
    // Styles only refine headings and bold: a damaged styles part is ignored.
    if (!doc.load_buffer(xml->data(), xml->size(), pugi::parse_default)) return styles;
    pugi::xml_node root = doc.document_element();
    WordNames w(root);
    const std::string style_name = w("style");  // the range keeps the pointer: it must outlive the loop
    for (pugi::xml_node style : root.children(style_name.c_str())) {
        StyleInfo info;
        std::string id = style.attribute(w("styleId").c_str()).value();
        info.heading_level = heading_level_from_name(style.child(w("name").c_str()).attribute(w("val").c_str()).value());
        pugi::xml_node outline = style.child(w("pPr").c_str()).child(w("outlineLvl").c_str());
        if (outline) {
            int level = int_value(outline, w, 9);
            if (level >= 0 && level < 9) info.heading_level = level + 1;
        }
        pugi::xml_node b = style.child(w("rPr").c_str()).child(w("b").c_str());
        if (b) info.bold = toggle_value(b, w);
        info.based_on = style.child(w("basedOn").c_str()).attribute(w("val").c_str()).value();
        styles.emplace(std::move(id), std::move(info));
    }
    return styles;
}

// A style property looked up along the basedOn chain (bounded: chains can loop).
template <class Get>
auto inherited(const StyleTable& styles, std::string id, Get get) -> decltype(get(StyleInfo{})) {
    for (int i = 0; i < kMaxStyleChain && !id.empty(); ++i) {
        auto found = styles.find(id);
        if (found == styles.end()) break;
        if (auto value = get(found->second)) return value;
        id = found->second.based_on;
    }
    return {};
}

// Heading level of a paragraph style id without a style table entry: Word
// writes "Heading1" in English and "1", "2"... in Chinese documents.
int heading_level_from_id(std::string_view id) {
    if (id.size() == 1 && id[0] >= '1' && id[0] <= '9') return id[0] - '0';
    std::string lower;
    for (char c : id) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower.starts_with("heading")) {
        std::string_view rest = std::string_view(lower).substr(7);
        if (rest.size() == 1 && rest[0] >= '1' && rest[0] <= '9') return rest[0] - '0';
    }
    return 0;
}

// ---------------------------------------------------------------- body

struct ParagraphText {
    std::string text;
    bool has_text = false;
    bool all_bold = true;
};

std::string trim_lines(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string line = trim(text.substr(start, end - start));
        if (!line.empty()) {
            if (!out.empty()) out.push_back('\n');
            out += line;
        }
        start = end + 1;
    }
    return out;
}

// White space runs (including NBSP, U+3000, line breaks) to one space, trimmed.
std::string collapse_cell_text(std::string_view text) {
    std::u32string out;
    bool pending = false;
    for (char32_t c : to_u32(text)) {
        if (is_space(c)) {
            pending = !out.empty();
            continue;
        }
        if (pending) out.push_back(U' ');
        pending = false;
        out.push_back(c);
    }
    return to_utf8(out);
}

class BodyReader {
public:
    BodyReader(const std::string& path, const WordNames& names, const StyleTable& styles, std::size_t max_blocks)
        : path_(path), w_(names), styles_(styles), budget_(path, max_blocks) {}

    std::vector<Block> read(const pugi::xml_node& body) {
        std::vector<Block> blocks;
        // Block-level content controls and custom XML wrap paragraphs and tables.
        std::vector<pugi::xml_node> todo;
        push_children_reversed(todo, body);
        while (!todo.empty()) {
            pugi::xml_node node = todo.back();
            todo.pop_back();
            std::string_view name = w_.local(node);
            if (name == "p") {
                add_paragraph(blocks, node);
            } else if (name == "tbl") {
                Block block;
                block.kind = BlockKind::Table;
                block.table = read_table(node);
                block.pos = block.table.pos;
                if (!block.table.rows.empty()) blocks.push_back(std::move(block));
            } else if (name == "sdt") {
                push_children_reversed(todo, node.child(w_("sdtContent").c_str()));
            } else if (name == "customXml" || name == "ins" || name == "smartTag") {
                push_children_reversed(todo, node);
            }
        }
        return blocks;
    }

private:
    static void push_children_reversed(std::vector<pugi::xml_node>& todo, const pugi::xml_node& parent) {
        std::size_t first = todo.size();
        for (pugi::xml_node child : parent.children())
            if (child.type() == pugi::node_element) todo.push_back(child);
        std::reverse(todo.begin() + static_cast<std::ptrdiff_t>(first), todo.end());
    }

    SourcePos next_paragraph_pos() const { return SourcePos{paragraph_count_ + 1, 1, 0}; }

    void add_paragraph(std::vector<Block>& blocks, const pugi::xml_node& p) {
        SourcePos pos = next_paragraph_pos();
        ParagraphText content = paragraph_text(p);
        if (!content.has_text) return;
        Block block;
        block.text = trim_lines(content.text);
        if (block.text.empty()) return;
        block.pos = pos;
        block.bold = content.all_bold;
        block.heading_level = heading_level(p);
        if (block.heading_level > 0) block.kind = BlockKind::Heading;
        blocks.push_back(std::move(block));
    }

    std::string paragraph_style(const pugi::xml_node& p) const {
        return p.child(w_("pPr").c_str()).child(w_("pStyle").c_str()).attribute(w_("val").c_str()).value();
    }

    int heading_level(const pugi::xml_node& p) const {
        pugi::xml_node outline = p.child(w_("pPr").c_str()).child(w_("outlineLvl").c_str());
        if (outline) {
            int level = int_value(outline, w_, 9);
            return level >= 0 && level < 9 ? level + 1 : 0;
        }
        std::string style = paragraph_style(p);
        if (style.empty()) return 0;
        // A style the styles part defines is judged by its definition, not its id.
        if (styles_.count(style)) return inherited(styles_, style, [](const StyleInfo& s) { return s.heading_level; });
        return heading_level_from_id(style);
    }

    bool run_is_bold(const pugi::xml_node& run, const std::string& paragraph_style_id) const {
        pugi::xml_node rpr = run.child(w_("rPr").c_str());
        if (pugi::xml_node b = rpr.child(w_("b").c_str())) return toggle_value(b, w_);
        auto style_bold = [](const StyleInfo& s) { return s.bold; };
        std::string run_style = rpr.child(w_("rStyle").c_str()).attribute(w_("val").c_str()).value();
        if (auto bold = inherited(styles_, run_style, style_bold)) return *bold;
        if (auto bold = inherited(styles_, paragraph_style_id, style_bold)) return *bold;
        return false;
    }

    // The text of one paragraph; counts it. Deleted revisions, drawings and text
    // boxes are left out (mc:AlternateContent only ever wraps drawings here).
    ParagraphText paragraph_text(const pugi::xml_node& p) {
        budget_.spend(next_paragraph_pos());
        ++paragraph_count_;
        ParagraphText out;
        std::string style = paragraph_style(p);
        std::vector<pugi::xml_node> todo;
        push_children_reversed(todo, p);
        while (!todo.empty()) {
            pugi::xml_node node = todo.back();
            todo.pop_back();
            std::string_view name = w_.local(node);
            if (name == "r") {
                add_run(out, node, style);
            } else if (name == "hyperlink" || name == "ins" || name == "smartTag" || name == "fldSimple" ||
                       name == "customXml" || name == "moveTo" || name == "dir" || name == "bdo") {
                push_children_reversed(todo, node);
            } else if (name == "sdt") {
                push_children_reversed(todo, node.child(w_("sdtContent").c_str()));
            }
        }
        return out;
    }

    void add_run(ParagraphText& out, const pugi::xml_node& run, const std::string& paragraph_style_id) {
        std::string text;
        for (pugi::xml_node part : run.children()) {
            std::string_view name = w_.local(part);
            if (name == "t") text += part.text().get();
            else if (name == "tab" || name == "ptab") text.push_back('\t');  // a table of contents' tab before its page
            else if (name == "br" || name == "cr") text.push_back('\n');
            else if (name == "noBreakHyphen") text.push_back('-');
        }
        if (text.empty()) return;
        out.text += text;
        bool visible = std::any_of(text.begin(), text.end(), [](char c) { return !std::isspace(static_cast<unsigned char>(c)); });
        if (!visible) return;
        out.has_text = true;
        out.all_bold = out.all_bold && run_is_bold(run, paragraph_style_id);
    }

    // A cell's text: its paragraphs (nested tables' too) joined by spaces.
    std::pair<std::string, SourcePos> cell_text(const pugi::xml_node& tc) {
        SourcePos pos = next_paragraph_pos();
        std::string text;
        std::vector<pugi::xml_node> todo;
        push_children_reversed(todo, tc);
        while (!todo.empty()) {
            pugi::xml_node node = todo.back();
            todo.pop_back();
            std::string_view name = w_.local(node);
            if (name == "p") {
                text += paragraph_text(node).text;
                text.push_back(' ');
            } else if (name == "tbl" || name == "tr" || name == "tc" || name == "sdt" || name == "sdtContent" ||
                       name == "customXml") {
                push_children_reversed(todo, node);
            }
        }
        return {collapse_cell_text(text), pos};
    }

    // Rows and cells as written; w:sdt/w:customXml wrappers around them are opened.
    std::vector<pugi::xml_node> children_named(const pugi::xml_node& parent, std::string_view wanted) const {
        std::vector<pugi::xml_node> found;
        std::vector<pugi::xml_node> todo;
        push_children_reversed(todo, parent);
        while (!todo.empty()) {
            pugi::xml_node node = todo.back();
            todo.pop_back();
            std::string_view name = w_.local(node);
            if (name == wanted) found.push_back(node);
            else if (name == "sdt") push_children_reversed(todo, node.child(w_("sdtContent").c_str()));
            else if (name == "customXml") push_children_reversed(todo, node);
        }
        return found;
    }

    std::uint32_t grid_value(const pugi::xml_node& props, const char* name, std::uint32_t fallback) const {
        pugi::xml_node element = props.child(w_(name).c_str());
        if (!element) return fallback;
        int v = int_value(element, w_, static_cast<int>(fallback));
        return static_cast<std::uint32_t>(std::clamp(v, 0, static_cast<int>(kMaxTableColumns)));
    }

    // w:gridSpan gives colspan; vertical merges (w:vMerge restart, then continue)
    // become one cell with a rowspan, the continuation cells are not emitted.
    Table read_table(const pugi::xml_node& tbl) {
        Table table;
        table.pos = next_paragraph_pos();
        struct OpenMerge { std::size_t row; std::size_t index; };
        std::map<std::uint32_t, OpenMerge> open;  // by grid column
        std::vector<pugi::xml_node> rows = children_named(tbl, "tr");
        table.rows.resize(rows.size());
        for (std::size_t r = 0; r < rows.size(); ++r) {
            std::map<std::uint32_t, OpenMerge> still_open;
            std::uint32_t col = grid_value(rows[r].child(w_("trPr").c_str()), "gridBefore", 0);
            for (const pugi::xml_node& tc : children_named(rows[r], "tc")) {
                budget_.spend(next_paragraph_pos());
                pugi::xml_node props = tc.child(w_("tcPr").c_str());
                std::uint32_t colspan = std::max<std::uint32_t>(1, grid_value(props, "gridSpan", 1));
                if (col + colspan > kMaxTableColumns)
                    throw InputError(path_, next_paragraph_pos(),
                                     "table is wider than " + std::to_string(kMaxTableColumns) + " columns; refusing",
                                     kDamagedHint);
                pugi::xml_node vmerge = props.child(w_("vMerge").c_str());
                std::string_view merge = vmerge ? vmerge.attribute(w_("val").c_str()).value() : "";
                bool continues = vmerge && merge != "restart";
                auto above = open.find(col);
                if (continues && above != open.end()) {
                    ++table.rows[above->second.row][above->second.index].rowspan;
                    cell_text(tc);  // keeps the paragraph count in step
                    still_open[col] = above->second;
                    col += colspan;
                    continue;
                }
                TableCell cell;
                cell.row = static_cast<std::uint32_t>(r);
                cell.col = col;
                cell.colspan = colspan;
                std::tie(cell.text, cell.pos) = cell_text(tc);
                if (vmerge && merge == "restart") still_open[col] = {r, table.rows[r].size()};
                table.rows[r].push_back(std::move(cell));
                col += colspan;
                table.column_count = std::max(table.column_count, col);
            }
            open = std::move(still_open);
        }
        return table;
    }

    const std::string& path_;
    const WordNames& w_;
    const StyleTable& styles_;
    line_scan::BlockBudget budget_;
    std::uint32_t paragraph_count_ = 0;
};

// A UTF-16 part starts with a byte-order mark or with '<' as two bytes, one of them zero.
bool is_utf16_xml(std::string_view xml) {
    return xml.starts_with("\xFF\xFE") || xml.starts_with("\xFE\xFF") || xml.starts_with(std::string_view("<\0", 2)) ||
           xml.starts_with(std::string_view("\0<", 2));
}

// Refuses a part that is not UTF-8, naming the first bad byte by its line and
// column (in characters) in the XML, as an XML editor would show it.
void require_utf8(const std::string& path, const char* part, std::string_view xml) {
    std::size_t bad = 0;
    if (is_utf16_xml(xml) || is_valid_utf8(xml, &bad)) return;
    std::string_view before = xml.substr(0, bad);
    std::size_t line_start = before.rfind('\n');
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    std::size_t column = 1 + char_count(before.substr(line_start));
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(xml[bad])));
    throw InputError(path, {},
                     std::string(part) + " is not valid UTF-8 at line " + std::to_string(line) + ", column " +
                         std::to_string(column) + " (byte " + byte +
                         "): the program that made the file wrote text in another encoding",
                     "open the file in Word and save it again as .docx");
}

// Spends one block per paragraph and table cell start tag of a UTF-8 part, at
// the paragraph number the reader would give. Any prefix counts (DrawingML's
// <a:p> too), so the count is never below what the body walk keeps.
void count_blocks(const std::string& path, std::string_view xml, std::size_t max_blocks) {
    line_scan::BlockBudget budget(path, max_blocks);
    std::uint32_t paragraphs = 0;
    for (std::size_t i = xml.find('<'); i != std::string_view::npos; i = xml.find('<', i + 1)) {
        std::size_t end = xml.find_first_of(" \t\r\n/>", i + 1);
        if (end == std::string_view::npos) break;
        std::string_view name = xml.substr(i + 1, end - i - 1);
        if (std::size_t colon = name.rfind(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
        if (name != "p" && name != "tc") continue;
        budget.spend(SourcePos{paragraphs + 1, 1, 0});
        if (name == "p") ++paragraphs;
    }
}

bool is_ole_compound_file(std::string_view bytes) {
    return bytes.starts_with(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8));
}

}  // namespace

Document read_docx(const std::string& path, std::string_view bytes, const ReadLimits& limits) {
    if (bytes.size() > limits.max_file_bytes)
        throw InputError(path, {}, "file is larger than " + size_text(limits.max_file_bytes) + ", which gouji does not read",
                         reader_errors::kTooLargeHint);
    // libzip would open zero bytes as an empty archive.
    if (bytes.empty()) throw InputError(path, {}, "file is empty", reader_errors::kEmptyHint);
    if (is_ole_compound_file(bytes))
        throw InputError(path, {}, "this is a legacy Word .doc or an encrypted document, not a .docx",
                         "open it in Word and save it as .docx without a password");

    ZipArchive archive(path, bytes);
    std::optional<std::string> xml = archive.read(kDocumentPart, limits.max_uncompressed_bytes);
    if (!xml)
        throw InputError(path, {}, std::string("the zip archive has no ") + kDocumentPart + "; it is not a Word document",
                         kDamagedHint);
    require_utf8(path, kDocumentPart, *xml);
    if (!is_utf16_xml(*xml)) count_blocks(path, *xml, limits.max_blocks);
    StyleTable styles = read_styles(archive.read(kStylesPart, limits.max_uncompressed_bytes));

    pugi::xml_document doc;
    // In place: the tree points into `xml`, which saves a copy of a large part.
    pugi::xml_parse_result parsed =
        doc.load_buffer_inplace(xml->data(), xml->size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
    if (!parsed)
        throw InputError(path, {},
                         std::string(kDocumentPart) + " is not well-formed XML at byte offset " +
                             std::to_string(parsed.offset) + ": " + parsed.description(),
                         kDamagedHint);

    pugi::xml_node root = doc.document_element();
    WordNames names(root);
    pugi::xml_node body = root.child(names("body").c_str());
    if (!body)
        throw InputError(path, {}, std::string(kDocumentPart) + " has no document body (w:body)", kDamagedHint);

    Document document;
    document.path = path;
    document.format = "docx";
    document.encoding = "UTF-8";
    document.blocks = BodyReader(path, names, styles, limits.max_blocks).read(body);
    return document;
}

}  // namespace gouji
