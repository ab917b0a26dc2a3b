// PDF -> Document: one Paragraph block per visual line, in reading order, with the
// page furniture (page numbers, running headers) removed. The position convention
// is in docs/formats.md ("PDF").
#include <dlfcn.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "engine/readers/page_furniture.hpp"
#include "engine/readers/reader_errors.hpp"
#include "engine/readers/pdf_layer.hpp"
#include "gouji/readers.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

// ---------------------------------------------------------------- characters

bool is_han(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x3FFFD);
}

// Characters set on a full-width grid in Chinese text: a space between two of them is
// an artefact of letter spacing or justification, never a word boundary.
bool is_wide(char32_t c) {
    return is_han(c) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
           (c >= 0x2018 && c <= 0x201D) || c == 0x2014 || c == 0x2026;
}

// Text that no font maps to Unicode comes out as private-use code points or U+FFFD.
bool is_undecodable(char32_t c) {
    return (c >= 0xE000 && c <= 0xF8FF) || c == 0xFFFD || (c < 0x20 && c != U'\t');
}

// "两 个 字" -> "两个字"; the double spaces that mark column gaps stay.
std::u32string drop_spaces_between_wide(const std::u32string& s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool lone_space = s[i] == U' ' && i > 0 && i + 1 < s.size() && s[i - 1] != U' ' && s[i + 1] != U' ';
        if (lone_space && is_wide(s[i - 1]) && is_wide(s[i + 1])) continue;
        out.push_back(s[i]);
    }
    return out;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

// ---------------------------------------------------------------- words and lines

// A poppler text box in "reading coordinates": `along` runs in the writing direction,
// `across` grows from one line to the next, whatever the text's rotation on the page.
struct Word {
    std::u32string text;
    int rotation = 0;
    double along0 = 0, along1 = 0;
    double across0 = 0, across1 = 0;
    double page_position = 0;  // centre across the page in its reading frame, 0 = head, 1 = foot
    double em = 0;      // font size estimate
    double han_advance = 0;  // median width of its Han characters; 0 when it has none

    double across_center() const { return (across0 + across1) / 2; }
    double thickness() const { return across1 - across0; }
};

struct Extent {
    double along0, along1, across0, across1;
};

// poppler's rotation in its top-down device space (as observed on /Rotate 90 pages):
// 0 upright, 1 reading upwards, 2 upside down, 3 reading downwards.
Extent to_reading(const pdf::Rect& r, int rotation) {
    double x0 = r.left, x1 = r.right, y0 = r.top, y1 = r.bottom;
    switch (rotation) {
    case 1: return {-y1, -y0, x0, x1};
    case 2: return {-x1, -x0, -y1, -y0};
    case 3: return {y0, y1, -x1, -x0};
    default: return {x0, x1, y0, y1};
    }
}

// Where `across` starts and how far it runs on a page of device size width x height.
Extent page_in_reading(double width, double height, int rotation) {
    return to_reading(pdf::Rect{0, 0, width, height}, rotation);
}

Word make_word(const pdf::TextBox& box, double page_width, double page_height, bool upside_down) {
    Word w;
    w.text = to_u32(box.utf8);
    // On a page turned by /Rotate 180 poppler reports upright text as upright though
    // it is displayed upside down.
    w.rotation = (box.rotation + (upside_down ? 2 : 0)) & 3;
    Extent e = to_reading(box.box, w.rotation);
    w.along0 = e.along0;
    w.along1 = e.along1;
    w.across0 = e.across0;
    w.across1 = e.across1;
    Extent page = page_in_reading(page_width, page_height, w.rotation);
    double page_extent = page.across1 - page.across0;
    w.page_position = page_extent > 0 ? (w.across_center() - page.across0) / page_extent : 0.5;
    // Han glyphs are one em wide in every CJK font: the one reliable size measure, as
    // box heights follow each font's own ascent and descent.
    std::vector<double> advances;
    for (std::size_t i = 0; i < w.text.size() && i < box.glyphs.size(); ++i) {
        if (!is_han(w.text[i])) continue;
        Extent g = to_reading(box.glyphs[i], w.rotation);
        double advance = g.along1 - g.along0;
        if (advance > 0) advances.push_back(advance);
    }
    w.han_advance = median(std::move(advances));
    return w;
}

// Fills in `em` for every word: Han advance where there is one, otherwise the box
// thickness scaled by the ratio that the page's Han words show.
void estimate_font_sizes(std::vector<Word>& words) {
    std::vector<double> ratios;
    for (const Word& w : words)
        if (w.han_advance > 0 && w.thickness() > 0) ratios.push_back(w.han_advance / w.thickness());
    double ratio = ratios.empty() ? 0.75 : median(std::move(ratios));
    for (Word& w : words) w.em = w.han_advance > 0 ? w.han_advance : std::max(w.thickness() * ratio, 1.0);
}

struct PageLine {
    std::string text;
    double page_position = 0;  // centre of the line across the page, 0 = head, 1 = foot
};

// Words whose centres lie within this many ems of a line's first word share its line.
// Large enough to take a number cell centred beside a two-line label onto the label's
// first line, small enough to keep table rows (>= 1.2 em apart) separate.
constexpr double kSameLine = 0.75;
// A horizontal gap of this many ems is a column gap (two spaces); the downstream
// table recovery splits cells on it.
constexpr double kColumnGap = 0.6;
constexpr double kWordGap = 0.12;

std::u32string join_words(std::vector<const Word*>& words) {
    std::sort(words.begin(), words.end(), [](const Word* a, const Word* b) { return a->along0 < b->along0; });
    std::vector<double> ems;
    for (const Word* w : words) ems.push_back(w->em);
    double em = median(std::move(ems));
    std::u32string text;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) {
            double gap = words[i]->along0 - words[i - 1]->along1;
            // Geometry alone: poppler's own space flag is set between the glyphs of
            // rotated CJK text that touch.
            if (gap >= kColumnGap * em) text += U"  ";
            else if (gap >= kWordGap * em) text += U' ';
        }
        text += words[i]->text;
    }
    return drop_spaces_between_wide(text);
}

bool is_finite(const Word& w) {
    return std::isfinite(w.along0) && std::isfinite(w.along1) && std::isfinite(w.across0) &&
           std::isfinite(w.across1) && std::isfinite(w.han_advance) && std::isfinite(w.page_position);
}

std::vector<PageLine> lines_of_page(const pdf::Page& page) {
    // Word boxes come in the device space of the page as displayed (after /Rotate).
    bool turned = page.orientation == pdf::Orientation::Landscape || page.orientation == pdf::Orientation::Seascape;
    double width = turned ? page.height : page.width;
    double height = turned ? page.width : page.height;
    std::vector<Word> words;
    for (const pdf::TextBox& box : page.boxes) {
        Word w = make_word(box, width, height, page.orientation == pdf::Orientation::UpsideDown);
        // Broken coordinates would break the ordering the sorts below rely on.
        if (!w.text.empty() && is_finite(w)) words.push_back(std::move(w));
    }
    estimate_font_sizes(words);
    std::stable_sort(words.begin(), words.end(), [](const Word& a, const Word& b) {
        if (a.rotation != b.rotation) return a.rotation < b.rotation;
        return a.across_center() < b.across_center();
    });

    struct OpenLine {
        const Word* anchor;
        std::vector<const Word*> words;
    };
    std::vector<OpenLine> lines;
    for (const Word& w : words) {
        OpenLine* best = nullptr;
        double best_distance = 0;
        // Lines are in ascending order of their anchors: only the last few can be near.
        for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
            if (it->anchor->rotation != w.rotation) break;
            double distance = w.across_center() - it->anchor->across_center();
            if (distance > 2 * kSameLine * std::max(w.em, it->anchor->em)) break;
            if (std::abs(distance) <= kSameLine * it->anchor->em && (!best || std::abs(distance) < best_distance)) {
                best = &*it;
                best_distance = std::abs(distance);
            }
        }
        if (best) best->words.push_back(&w);
        else lines.push_back({&w, {&w}});
    }

    std::vector<PageLine> out;
    for (OpenLine& line : lines) {
        std::string text = trim(to_utf8(join_words(line.words)));
        if (!text.empty()) out.push_back({std::move(text), line.anchor->page_position});
    }
    return out;
}

// ---------------------------------------------------------------- page furniture

// Running headers/footers and bare page numbers live in these bands of the page.
constexpr double kTopBand = 0.12;
constexpr double kBottomBand = 0.88;

bool in_margin_band(const PageLine& line) { return line.page_position < kTopBand || line.page_position > kBottomBand; }

// "临江区2021年报告 第3页" and "… 第4页" are the same header: digits do not count.
std::string running_key(const std::string& text) {
    std::string key;
    for (char c : collapse_spaces(text)) key += (c >= '0' && c <= '9') ? '#' : c;
    return key;
}

// Text repeated in a margin band at the same height on most pages.
void drop_running_lines(std::vector<std::vector<PageLine>>& pages) {
    if (pages.size() < 2) return;
    struct Place {
        std::size_t page;
        std::size_t index;
        double y;
    };
    std::map<std::string, std::vector<Place>> places;
    for (std::size_t p = 0; p < pages.size(); ++p)
        for (std::size_t i = 0; i < pages[p].size(); ++i)
            if (in_margin_band(pages[p][i])) places[running_key(pages[p][i].text)].push_back({p, i, pages[p][i].page_position});

    std::size_t needed = std::max<std::size_t>(2, (pages.size() + 1) / 2);
    std::vector<std::vector<bool>> drop(pages.size());
    for (std::size_t p = 0; p < pages.size(); ++p) drop[p].assign(pages[p].size(), false);
    for (const auto& [key, where] : places) {
        if (where.size() < needed) continue;
        std::vector<double> ys;
        for (const Place& place : where) ys.push_back(place.y);
        double y = median(std::move(ys));
        std::vector<std::size_t> seen_pages;
        for (const Place& place : where)
            if (std::abs(place.y - y) <= 0.015) seen_pages.push_back(place.page);
        seen_pages.erase(std::unique(seen_pages.begin(), seen_pages.end()), seen_pages.end());
        if (seen_pages.size() < needed) continue;
        for (const Place& place : where)
            if (std::abs(place.y - y) <= 0.015) drop[place.page][place.index] = true;
    }
    for (std::size_t p = 0; p < pages.size(); ++p) {
        std::vector<PageLine> kept;
        for (std::size_t i = 0; i < pages[p].size(); ++i)
            if (!drop[p][i]) kept.push_back(std::move(pages[p][i]));
        pages[p] = std::move(kept);
    }
}

void drop_page_furniture(std::vector<std::vector<PageLine>>& pages) {
    for (auto& lines : pages)
        std::erase_if(lines, [](const PageLine& line) { return is_page_furniture_line(line.text); });
    drop_running_lines(pages);
    // A bare number is a page number only at the very top or bottom of its page.
    for (auto& lines : pages) {
        if (!lines.empty() && lines.back().page_position > kBottomBand && is_bare_page_number(lines.back().text))
            lines.pop_back();
        if (!lines.empty() && lines.front().page_position < kTopBand && is_bare_page_number(lines.front().text))
            lines.erase(lines.begin());
    }
}

// ---------------------------------------------------------------- checks

// Where libgouji_pdf.so is: $GOUJI_PDF_MODULE when set (and nowhere else), else
// beside the running program (gouji as built or installed), else where the build
// put it (the tests and the bench run from other directories). Loaded once, on the
// first PDF.
struct TextLayerModule {
    pdf::ReadTextLayer read = nullptr;
    std::string problem;  // why it could not be loaded
};

TextLayerModule load_text_layer_module() {
    std::vector<std::string> candidates;
    if (const char* chosen = std::getenv("GOUJI_PDF_MODULE"); chosen && *chosen) {
        candidates.emplace_back(chosen);
    } else {
        std::error_code ec;
        const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", ec);
        if (!ec) candidates.push_back((program.parent_path() / "libgouji_pdf.so").string());
#ifdef GOUJI_PDF_MODULE
        candidates.emplace_back(GOUJI_PDF_MODULE);
#endif
    }
    TextLayerModule module;
    for (const auto& candidate : candidates) {
        void* handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            module.problem += (module.problem.empty() ? "" : "; ") + std::string(dlerror());
            continue;
        }
        if (void* entry = dlsym(handle, pdf::kReadTextLayerSymbol)) {
            module.read = reinterpret_cast<pdf::ReadTextLayer>(entry);
            return module;
        }
        module.problem += (module.problem.empty() ? "" : "; ") + candidate + " lacks " + pdf::kReadTextLayerSymbol;
    }
    return module;
}

const TextLayerModule& text_layer_module() {
    static const TextLayerModule module = load_text_layer_module();
    return module;
}

// What can be told before poppler is asked: not a PDF at all, or cut off.
void check_pdf_bytes(const std::string& path, std::string_view bytes) {
    if (bytes.empty()) throw InputError(path, {}, "file is empty", reader_errors::kEmptyHint);
    if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos)
        throw InputError(path, {}, "not a PDF file (no %PDF- header)", "check that the file is the report itself");
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        throw InputError(path, {}, "PDF is larger than 2 GiB", "split the file");
    constexpr std::size_t kTail = 4096;
    std::string_view tail = bytes.substr(bytes.size() > kTail ? bytes.size() - kTail : 0);
    if (tail.find("%%EOF") == std::string_view::npos)
        throw InputError(path, {}, "PDF is incomplete (no %%EOF marker at its end): the file was cut off",
                         "download or export it again");
}

void check_text_layer(const std::string& path, const std::vector<std::vector<PageLine>>& pages) {
    std::size_t total = 0;
    std::size_t undecodable = 0;
    for (const auto& lines : pages)
        for (const PageLine& line : lines)
            for (char32_t c : to_u32(line.text)) {
                if (is_space(c)) continue;
                ++total;
                if (is_undecodable(c)) ++undecodable;
            }
    if (total == 0)
        throw InputError(path, {}, "PDF has no text layer (scanned?)",
                         "run OCR on it first, or give the report's Word or HTML file");
    if (undecodable * 2 > total)
        throw InputError(path, {}, "PDF text cannot be decoded (its fonts have no Unicode map)",
                         "run OCR on it first, or give the report's Word or HTML file");
}

}  // namespace

Document read_pdf(const std::string& path, std::string_view bytes, const ReadLimits& limits) {
    check_pdf_bytes(path, bytes);
    const TextLayerModule& module = text_layer_module();
    if (!module.read)
        throw InputError(path, {}, "PDF support is not installed (" + module.problem + ")",
                         "put libgouji_pdf.so beside the gouji program, or read the report's Word or HTML file");

    pdf::TextLayer layer;
    // poppler builds some process-wide state lazily and without locks (fonts,
    // colour management): one PDF is opened at a time, whatever the threads.
    static std::mutex poppler;
    std::lock_guard one_at_a_time(poppler);
    try {
        module.read(bytes.data(), bytes.size(), limits.max_pdf_pages, &layer);
    } catch (const std::bad_alloc&) {
        layer.status = pdf::TextLayer::Status::OutOfMemory;
    }
    using Status = pdf::TextLayer::Status;
    switch (layer.status) {
    case Status::Read: break;
    case Status::Damaged:
        throw InputError(path, {}, "PDF is damaged and cannot be opened", "export or download the file again");
    case Status::Encrypted:
        throw InputError(path, {}, "PDF is encrypted (password-protected)", "save a copy without the password and retry");
    case Status::NoPages: throw InputError(path, {}, "PDF has no pages", "export or download the file again");
    case Status::TooManyPages:
        throw InputError(path, {},
                         "PDF has " + std::to_string(layer.page_count) + " pages; gouji reads at most " +
                             std::to_string(limits.max_pdf_pages),
                         "check that it is the report itself, or give the report's Word or HTML file");
    case Status::OutOfMemory:
        throw InputError(path, {}, "PDF needs more memory than is available to read", "split the file");
    case Status::Failed:
        throw InputError(path, {}, "PDF cannot be read: " + layer.problem, "export or download the file again");
    }
    std::vector<std::vector<PageLine>> pages;
    pages.reserve(layer.pages.size());
    for (const pdf::Page& page : layer.pages) pages.push_back(lines_of_page(page));
    layer.pages.clear();

    drop_page_furniture(pages);
    check_text_layer(path, pages);

    Document document;
    document.path = path;
    document.format = "pdf";
    if (layer.complaints)
        document.warnings.push_back(
            "poppler reported " + std::to_string(layer.complaints) + (layer.complaints == 1 ? " error" : " errors") +
            " reading this PDF (the first: \"" + printable(layer.first_complaint, false) +
            "\"): it is damaged, and its text may be incomplete (download or export it again, or give the report's "
            "Word or HTML file)");
    std::uint32_t line_number = 0;
    for (std::size_t p = 0; p < pages.size(); ++p) {
        for (PageLine& line : pages[p]) {
            Block block;
            block.kind = BlockKind::Paragraph;
            block.text = std::move(line.text);
            block.pos = SourcePos{++line_number, 1, static_cast<std::uint32_t>(p + 1)};
            document.blocks.push_back(std::move(block));
        }
    }
    return document;
}

}  // namespace gouji
