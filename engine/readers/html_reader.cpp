// HTML reader: a published report is usually a whole site page, so the work is
// keeping the article and dropping the site around it (scripts, navigation,
// footers), then turning the rendered flow into blocks: one Paragraph/Heading per
// run of inline content between block boundaries, one Table per data table.
//
// Decisions (docs/formats.md has the user-facing version):
// - Inline elements join without separators, as a browser renders them: pages
//   split numbers into one <span> per digit. Source line breaks between two East
//   Asian wide characters vanish (CSS segment-break rule), other white space
//   collapses to one space.
// - A table is data when it holds no other table, no heading, no cell longer than
//   kLayoutCellChars characters and more than one cell; otherwise it is page
//   layout and its cells are read as ordinary flow.
// - gumbo parses a condensed copy of the page without the attributes and script
//   text the reader never reads (html_condense.hpp); positions map back to the page.
// - Paragraphs, headings and table cells (empty cells too) count against
//   ReadLimits::max_blocks, as in the text readers; a page with more <td>/<th>
//   tags than that is refused before parsing, since gumbo's tree would not fit.
// - Elements nested deeper than ReadLimits::max_nesting are flattened into their
//   ancestor's text; markup nested beyond max_nesting * kRefusalDepthFactor, or
//   whose depth summed over its tags passes kRefusalDepthSum, is refused before
//   parsing, because gumbo's work per tag grows with the depth.
// - Everything after parsing is linear in the page: which lists are menus is
//   decided once per list item (LinkLists), positions resume from checkpoints.
#include <gumbo.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "engine/readers/html_condense.hpp"
#include "engine/readers/reader_errors.hpp"
#include "engine/readers/line_scan.hpp"
#include "gouji/readers.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

// gumbo spends O(depth) per start tag on deep stacks: 8192 levels parse in about
// 0.2 s, 40000 in 5 s, 200000 would take minutes. Real pages stay under 100.
constexpr std::size_t kRefusalDepthFactor = 16;
// Below that depth, it is the depth summed over all tags that costs: 100000
// <a>x</a> under 8000 <div>s (a sum of 1.6e9) take gumbo 1.7 s. Real pages sum
// to under 10^5; 256 MB of tags 16 deep would sum to 5e8.
constexpr std::uint64_t kRefusalDepthSum = std::uint64_t{1} << 30;
constexpr std::size_t kLayoutCellChars = 200;
constexpr std::uint32_t kMaxTableColumns = 1000;
constexpr std::uint32_t kMaxRowspan = 65534;  // the HTML standard's own cap
// Marks a hard line break (<br>, block boundary inside a cell) in collected text;
// control characters are removed from page text, so it cannot collide.
constexpr char kBreak = '\x1E';

// ---------------------------------------------------------------- decoding

// The charset a <meta> in the first bytes declares, lower-cased; empty if none.
std::string declared_charset(std::string_view bytes) {
    std::string head = ascii_lower(bytes.substr(0, 4096));
    for (std::size_t meta = head.find("<meta"); meta != std::string::npos; meta = head.find("<meta", meta + 5)) {
        std::size_t end = head.find('>', meta);
        std::string_view tag = std::string_view(head).substr(meta, end == std::string::npos ? std::string::npos : end - meta);
        std::size_t at = tag.find("charset");
        if (at == std::string_view::npos) continue;
        at += 7;
        while (at < tag.size() && (tag[at] == ' ' || tag[at] == '=' || tag[at] == '"' || tag[at] == '\'')) ++at;
        std::size_t stop = at;
        while (stop < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[stop])) || tag[stop] == '-' ||
                                     tag[stop] == '_'))
            ++stop;
        return std::string(tag.substr(at, stop - at));
    }
    return {};
}

// The value of attribute `name` of a tag's text (lower-cased names; the value as
// written), or nothing: the head's <meta> tags, read before gumbo's tree.
std::optional<std::string_view> tag_attribute(std::string_view tag, std::string_view lower_tag, std::string_view name) {
    for (std::size_t at = lower_tag.find(name); at != std::string_view::npos; at = lower_tag.find(name, at + 1)) {
        if (at == 0 || !std::isspace(static_cast<unsigned char>(lower_tag[at - 1]))) continue;
        std::size_t i = at + name.size();
        while (i < tag.size() && tag[i] == ' ') ++i;
        if (i >= tag.size() || tag[i] != '=') continue;
        ++i;
        while (i < tag.size() && tag[i] == ' ') ++i;
        if (i >= tag.size()) return std::nullopt;
        const char quote = tag[i] == '"' || tag[i] == '\'' ? tag[i] : '\0';
        if (quote) ++i;
        std::size_t end = quote ? tag.find(quote, i) : tag.find_first_of(" \t\n/>", i);
        if (end == std::string_view::npos) end = tag.size();
        return tag.substr(i, end - i);
    }
    return std::nullopt;
}

// The article's publication date and title as the page's <meta> tags give them
// (`<meta name="PubDate" content="2023-01-20 10:30">`, ArticleTitle): the CMSs of
// government sites write them in the head, where the page's text may not repeat
// the date.
PageMeta page_meta(std::string_view html) {
    PageMeta out;
    html::PageLocator locate(html);
    const std::string_view head = html.substr(0, std::min<std::size_t>(html.size(), 64 * 1024));
    const std::string lower = ascii_lower(head);
    const std::size_t body = lower.find("<body");
    for (std::size_t meta = lower.find("<meta"); meta != std::string::npos && meta < body; meta = lower.find("<meta", meta + 5)) {
        const std::size_t end = lower.find('>', meta);
        if (end == std::string::npos) break;
        const std::string_view tag = head.substr(meta, end - meta);
        const std::string_view lower_tag = std::string_view(lower).substr(meta, end - meta);
        auto key = tag_attribute(tag, lower_tag, "name");
        if (!key) key = tag_attribute(tag, lower_tag, "property");
        const auto content = tag_attribute(tag, lower_tag, "content");
        if (!key || !content || content->empty()) continue;
        const std::string k = ascii_lower(*key);
        if (out.published.empty() && (k == "pubdate" || k == "publishdate" || k == "firstpublishedtime" ||
                                      k == "article:published_time" || k == "dc.date" || k == "dcterms.issued")) {
            out.published = std::string(*content);
            out.published_pos = locate.at(meta);
        } else if (out.title.empty() && (k == "articletitle" || k == "dc.title")) {
            out.title = std::string(*content);
            out.title_pos = locate.at(meta);
        }
    }
    return out;
}

bool is_gb_charset(std::string_view charset) {
    return charset == "gbk" || charset == "gb2312" || charset == "gb18030" || charset == "x-gbk" ||
           charset == "cp936" || charset == "euc-cn" || charset == "gb_2312-80";
}

// Line/column of the character following `prefix` (UTF-16).
SourcePos position_after(const std::u16string& prefix) {
    SourcePos pos{1, 1, 0};
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (U16_IS_TRAIL(prefix[i])) continue;
        if (prefix[i] == u'\n') {
            ++pos.line;
            pos.column = 1;
        } else {
            ++pos.column;
        }
    }
    return pos;
}

// A page that declares a GB charset and is not UTF-8 is decoded as GB18030 (a
// superset of GBK and GB2312) without guessing; bad bytes are an error.
std::string decode_declared_gb18030(const std::string& path, std::string_view bytes) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, decltype(&ucnv_close)> converter(ucnv_open("GB18030", &status), &ucnv_close);
    if (U_FAILURE(status)) throw std::runtime_error("ICU has no GB18030 converter");
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);

    // GB18030 never yields more UTF-16 units than it has bytes.
    std::u16string utf16(bytes.size() + 1, u'\0');
    UChar* target = reinterpret_cast<UChar*>(utf16.data());
    const char* source = bytes.data();
    UErrorCode error = U_ZERO_ERROR;
    ucnv_toUnicode(converter.get(), &target, target + utf16.size(), &source, bytes.data() + bytes.size(), nullptr,
                   true, &error);
    utf16.resize(static_cast<std::size_t>(target - reinterpret_cast<UChar*>(utf16.data())));
    if (U_FAILURE(error)) {
        SourcePos pos = position_after(utf16);
        throw InputError(path, pos, "the page declares a GB charset but is not valid GB18030 here",
                         "re-save the page as UTF-8");
    }
    std::string utf8(utf16.size() * 3, '\0');
    int32_t length = 0;
    status = U_ZERO_ERROR;
    u_strToUTF8(utf8.data(), static_cast<int32_t>(utf8.size()), &length, reinterpret_cast<const UChar*>(utf16.data()),
                static_cast<int32_t>(utf16.size()), &status);
    if (U_FAILURE(status)) throw std::runtime_error("UTF-16 to UTF-8 conversion failed");
    utf8.resize(static_cast<std::size_t>(length));
    return utf8;
}

std::string decode_page(const std::string& path, std::string_view bytes, std::string& encoding) {
    if (is_gb_charset(declared_charset(bytes)) && !is_valid_utf8(bytes)) {
        encoding = "GB18030";
        return decode_declared_gb18030(path, bytes);
    }
    return decode_text(path, bytes, encoding);
}

// ---------------------------------------------------------------- nesting pre-check

bool is_void_or_self_closing_tag(std::string_view name) {
    // Void elements never nest; the others close themselves when a sibling starts
    // (<p>, <li>, <td>...), so unclosed ones do not deepen the tree either.
    static constexpr std::array<std::string_view, 33> kNames = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame", "p", "li", "dt",
        "dd", "td", "th", "tr", "tbody", "thead", "tfoot", "option", "optgroup", "a", "rt", "rp"};
    return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

[[noreturn]] void refuse_nesting(const std::string& path, SourcePos pos, const std::string& what) {
    throw InputError(path, pos, "HTML is nested too deeply (" + what + "); refusing",
                     "this is not a page a browser or an editor produces; check where the file came from");
}

// A cheap byte scan that refuses, before gumbo spends minutes or gigabytes on
// them, pages nested deeper than `depth_limit` or deep over too many tags (the
// depth is open tags minus close tags, an estimate), and pages with more
// <td>/<th> tags than ReadLimits::max_blocks (each is a kept cell; the walk
// counts again, with paragraphs, exactly).
void precheck_markup(const std::string& path, std::string_view html, std::size_t depth_limit, std::size_t max_blocks) {
    line_scan::BlockBudget cells(path, max_blocks);
    html::PageLocator locator(html);
    std::size_t depth = 0;
    std::uint64_t depth_sum = 0;
    std::size_t i = 0;
    while ((i = html.find('<', i)) != std::string_view::npos) {
        if (html.substr(i, 4) == "<!--") {
            std::size_t end = html.find("-->", i + 4);
            if (end == std::string_view::npos) break;
            i = end + 3;
            continue;
        }
        bool closing = i + 1 < html.size() && html[i + 1] == '/';
        std::size_t name_start = i + (closing ? 2 : 1);
        std::size_t name_end = name_start;
        while (name_end < html.size() && std::isalnum(static_cast<unsigned char>(html[name_end]))) ++name_end;
        if (name_end == name_start || !std::isalpha(static_cast<unsigned char>(html[name_start]))) {
            ++i;
            continue;
        }
        std::string name = ascii_lower(html.substr(name_start, name_end - name_start));
        std::size_t tag_start = i;
        std::size_t tag_end = html.find('>', name_end);
        if (tag_end == std::string_view::npos) break;
        bool self_closed = html[tag_end - 1] == '/';
        i = tag_end + 1;
        if (!closing && (name == "script" || name == "style")) {
            // Markup-like text inside a script is not markup.
            i = html::raw_text_end(html, i, name);
            continue;
        }
        if (!closing && (name == "td" || name == "th")) cells.spend(locator.at(tag_start));
        if ((depth_sum += depth) > kRefusalDepthSum)
            refuse_nesting(path, locator.at(tag_start),
                           "thousands of open elements around too many tags: the depth summed over its tags passes " +
                               std::to_string(kRefusalDepthSum));
        if (is_void_or_self_closing_tag(name) || self_closed) continue;
        if (closing) {
            if (depth > 0) --depth;
        } else if (++depth > depth_limit) {
            refuse_nesting(path, locator.at(tag_start), "more than " + std::to_string(depth_limit) + " open elements");
        }
    }
}

// ---------------------------------------------------------------- gumbo access

struct GumboParse {
    GumboOptions options = kGumboDefaultOptions;
    GumboOutput* output = nullptr;
    GumboParse(const GumboParse&) = delete;
    GumboParse& operator=(const GumboParse&) = delete;
    explicit GumboParse(const std::string& html) {
        options.max_errors = 0;
        output = gumbo_parse_with_options(&options, html.data(), html.size());
    }
    ~GumboParse() {
        if (output) gumbo_destroy_output(&options, output);
    }
};

// The attributes the reader reads (is_skipped, bold_inside, build_table), and
// those gumbo's tree building reads (a <font> with color/face/size leaves SVG, an
// <input type=hidden> stays in a table, annotation-xml's encoding admits HTML).
constexpr std::string_view kReadAttributes[] = {"class",    "id",      "role", "hidden", "aria-hidden",
                                                "rowspan",  "colspan", "type", "color",  "face",
                                                "size",     "encoding"};
constexpr std::string_view kReadStyleProperties[] = {"display", "visibility", "font-weight"};

// Line and column in the page of a position gumbo reports in the condensed text.
class PagePositions {
public:
    PagePositions(std::string_view page, const html::CondensedPage& condensed)
        : condensed_(condensed), locator_(page) {}
    SourcePos at(const GumboSourcePosition& p) { return locator_.at(condensed_.page_offset(p.offset)); }

private:
    const html::CondensedPage& condensed_;
    html::PageLocator locator_;
};

bool is_element(const GumboNode* node) { return node->type == GUMBO_NODE_ELEMENT; }

const GumboVector& children_of(const GumboNode* node) {
    return node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
}

const GumboNode* child_at(const GumboVector& children, unsigned i) {
    return static_cast<const GumboNode*>(children.data[i]);
}

std::string_view attribute(const GumboNode* element, const char* name) {
    const GumboAttribute* a = gumbo_get_attribute(&element->v.element.attributes, name);
    return a ? std::string_view(a->value) : std::string_view();
}

bool has_attribute(const GumboNode* element, const char* name) {
    return gumbo_get_attribute(&element->v.element.attributes, name) != nullptr;
}

GumboTag tag_of(const GumboNode* node) { return is_element(node) ? node->v.element.tag : GUMBO_TAG_UNKNOWN; }

int heading_level_of(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_H1: return 1;
        case GUMBO_TAG_H2: return 2;
        case GUMBO_TAG_H3: return 3;
        case GUMBO_TAG_H4: return 4;
        case GUMBO_TAG_H5: return 5;
        case GUMBO_TAG_H6: return 6;
        default: return 0;
    }
}

bool is_block_tag(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_HTML: case GUMBO_TAG_BODY: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER: case GUMBO_TAG_DD:
        case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR: case GUMBO_TAG_DIV:
        case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION:
        case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_H1:
        case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR: case GUMBO_TAG_LEGEND:
        case GUMBO_TAG_LI: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV: case GUMBO_TAG_OL:
        case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY:
        case GUMBO_TAG_TABLE: case GUMBO_TAG_CAPTION: case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY:
        case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_UL:
        case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP:
            return true;
        default:
            return false;
    }
}

// Splits a class/id value into words: "menu_base menu-hd" -> menu, base, menu, hd.
std::vector<std::string> name_words(std::string_view value) {
    std::vector<std::string> words;
    std::string word;
    for (char c : value) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

// Class and id words that site templates give to navigation, headers and footers.
// "article_header" or "title_header" is the report's own title block, so words of
// content win over words of furniture.
bool names_site_furniture(std::string_view value) {
    static constexpr std::array<std::string_view, 22> kFurniture = {
        "nav", "navbar", "navigation", "menu", "submenu", "breadcrumb", "breadcrumbs", "crumb",
        "crumbs", "header", "footer", "sidebar", "banner", "share", "toolbar", "copyright",
        "search", "links", "topbar", "pagination", "pager", "skip"};
    static constexpr std::array<std::string_view, 6> kContent = {"article", "title", "content", "main", "text",
                                                                 "body"};
    bool furniture = false;
    for (const std::string& w : name_words(value)) {
        if (std::find(kContent.begin(), kContent.end(), w) != kContent.end()) return false;
        furniture = furniture || std::find(kFurniture.begin(), kFurniture.end(), w) != kFurniture.end();
    }
    return furniture;
}

// Calls fn(name, value) for each "name: value" declaration of a style attribute, lower-cased.
template <class Fn>
void for_each_declaration(std::string_view style, Fn&& fn) {
    std::string s = ascii_lower(style);
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t end = s.find(';', start);
        if (end == std::string::npos) end = s.size();
        std::string_view decl = std::string_view(s).substr(start, end - start);
        std::size_t colon = decl.find(':');
        if (colon != std::string_view::npos) {
            auto strip = [](std::string_view v) {
                while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
                while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
                return v;
            };
            fn(strip(decl.substr(0, colon)), strip(decl.substr(colon + 1)));
        }
        start = end + 1;
    }
}

bool is_hidden(const GumboNode* element) {
    if (has_attribute(element, "hidden") || attribute(element, "aria-hidden") == "true") return true;
    bool hidden = false;
    for_each_declaration(attribute(element, "style"), [&](std::string_view name, std::string_view value) {
        if ((name == "display" && value.starts_with("none")) || (name == "visibility" && value.starts_with("hidden")))
            hidden = true;
    });
    return hidden;
}

bool is_inside(const GumboNode* node, GumboTag tag) {
    for (const GumboNode* p = node->parent; p; p = p->parent)
        if (tag_of(p) == tag) return true;
    return false;
}

bool has_visible_char(std::string_view utf8) {
    for (char32_t c : to_u32(utf8))
        if (!is_space(c)) return true;
    return false;
}

// Which lists are menus or related-links boxes: lists whose every item is
// nothing but links. An item's verdict depends only on its own subtree, so each
// is worked out once and kept: nested lists would otherwise walk the items inside
// them again for every list around them, which is quadratic in the nesting.
class LinkLists {
public:
    bool is_link_list(const GumboNode* list) {
        bool any_item = false;
        const GumboVector& items = list->v.element.children;
        for (unsigned i = 0; i < items.length; ++i) {
            const GumboNode* item = child_at(items, i);
            if (tag_of(item) != GUMBO_TAG_LI) continue;
            // Text outside <a> means the item is content, not a menu entry.
            VisibleText text = item_text(item);
            if (text.outside_link || !text.in_link) return false;
            any_item = true;
        }
        return any_item;
    }

private:
    // Whether a subtree shows text outside any <a> (counted from the subtree's
    // root) and inside one.
    struct VisibleText {
        bool outside_link = false;
        bool in_link = false;
        void add(const VisibleText& other) {
            outside_link = outside_link || other.outside_link;
            in_link = in_link || other.in_link;
        }
    };

    VisibleText item_text(const GumboNode* item) {
        if (auto known = items_.find(item); known != items_.end()) return known->second;
        // Post-order with an explicit stack: a frame sums its children, then
        // hands its total to its parent; items met on the way are kept too.
        struct Frame {
            const GumboNode* node;
            unsigned next_child;
            VisibleText text;
        };
        std::vector<Frame> stack{{item, 0, {}}};
        for (;;) {
            Frame& top = stack.back();
            const GumboVector& kids = top.node->v.element.children;
            if (top.next_child < kids.length) {
                const GumboNode* kid = child_at(kids, top.next_child++);
                if (kid->type == GUMBO_NODE_TEXT) {
                    if (has_visible_char(kid->v.text.text)) top.text.outside_link = true;
                } else if (is_element(kid)) {
                    auto known = tag_of(kid) == GUMBO_TAG_LI ? items_.find(kid) : items_.end();
                    if (known != items_.end()) top.text.add(known->second);
                    else stack.push_back({kid, 0, {}});
                }
                continue;
            }
            Frame done = top;
            stack.pop_back();
            if (tag_of(done.node) == GUMBO_TAG_A) done.text = {false, done.text.outside_link || done.text.in_link};
            if (tag_of(done.node) == GUMBO_TAG_LI) items_.emplace(done.node, done.text);
            if (stack.empty()) return done.text;
            stack.back().text.add(done.text);
        }
    }

    std::unordered_map<const GumboNode*, VisibleText> items_;
};

// Elements whose content is never part of the report's text.
bool is_skipped(const GumboNode* element, LinkLists& link_lists) {
    switch (element->v.element.tag) {
        case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
        case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NAV: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_FORM: case GUMBO_TAG_SELECT: case GUMBO_TAG_BUTTON: case GUMBO_TAG_INPUT:
        case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
        case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO:
        case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP: case GUMBO_TAG_TITLE:
            return true;
        case GUMBO_TAG_HEADER:
            // An article's own <header> holds its title; the site's header is outside it.
            return !is_inside(element, GUMBO_TAG_ARTICLE) && !is_inside(element, GUMBO_TAG_MAIN);
        case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_MENU:
            if (link_lists.is_link_list(element)) return true;
            break;
        default:
            break;
    }
    if (element->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return true;
    if (is_hidden(element)) return true;
    std::string_view role = attribute(element, "role");
    if (role == "navigation" || role == "banner" || role == "contentinfo" || role == "search" || role == "menu" ||
        role == "menubar" || role == "complementary")
        return true;
    return names_site_furniture(attribute(element, "class")) || names_site_furniture(attribute(element, "id"));
}

// Bold state an element gives its content: true/false when it says, else inherited.
bool bold_inside(const GumboNode* element, bool inherited) {
    GumboTag tag = element->v.element.tag;
    bool bold = inherited || tag == GUMBO_TAG_B || tag == GUMBO_TAG_STRONG;
    for_each_declaration(attribute(element, "style"), [&](std::string_view name, std::string_view value) {
        if (name != "font-weight") return;
        if (value.starts_with("bold")) bold = true;
        else if (value.starts_with("normal") || value.starts_with("lighter")) bold = false;
        else if (!value.empty() && std::isdigit(static_cast<unsigned char>(value.front())))
            bold = std::atoi(std::string(value).c_str()) >= 600;
    });
    return bold;
}

// ---------------------------------------------------------------- text runs

bool is_wide(char32_t c) {
    if (c == 0) return false;
    auto width = u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_EAST_ASIAN_WIDTH);
    if (width != U_EA_FULLWIDTH && width != U_EA_WIDE && width != U_EA_HALFWIDTH) return false;
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript(static_cast<UChar32>(c), &status) != USCRIPT_HANGUL;
}

bool is_zero_width(char32_t c) { return c == 0x200B || c == 0xFEFF || c == 0x00AD; }

// Anchors where rendered text jumps in the source: at its start, after each line
// break and wherever a character does not follow the previous one on its line.
// Characters without a position (the line breaks) get none.
void anchors_of(std::span<const SourcePos> pos, std::vector<TextAnchor>& anchors) {
    for (std::size_t k = 0; k < pos.size(); ++k) {
        if (!pos[k].known()) continue;
        bool follows = k > 0 && pos[k - 1].known() && pos[k].line == pos[k - 1].line &&
                       pos[k].column == pos[k - 1].column + 1;
        if (!follows) anchors.push_back({static_cast<std::uint32_t>(k), pos[k]});
    }
}

// Rendered text of collected inline content: white space collapsed as a browser
// does, kBreak turned into line breaks (or spaces for a cell), each line trimmed.
// With `raw_pos` (the source position of each character of `raw`), `anchors` gets
// one wherever the rendered text jumps in the source.
std::string render_text(std::string_view raw, bool single_line, std::span<const SourcePos> raw_pos = {},
                        std::vector<TextAnchor>* anchors = nullptr) {
    std::u32string in = to_u32(raw);
    const bool tracked = anchors != nullptr && raw_pos.size() == in.size();
    std::u32string out;
    std::vector<SourcePos> out_pos;
    out.reserve(in.size());
    auto emit = [&](char32_t c, std::size_t from) {
        out.push_back(c);
        if (tracked) out_pos.push_back(raw_pos[from]);
    };
    for (std::size_t i = 0; i < in.size();) {
        char32_t c = in[i];
        if (c == char32_t(kBreak)) {
            emit(U'\n', i);
            ++i;
            continue;
        }
        if (!is_space(c)) {
            emit(c, i);
            ++i;
            continue;
        }
        std::size_t j = i;
        bool line_break = false, only_source_space = true, only_zero_width = true;
        for (; j < in.size() && in[j] != char32_t(kBreak) && is_space(in[j]); ++j) {
            line_break = line_break || in[j] == U'\n' || in[j] == U'\r';
            only_source_space = only_source_space && in[j] < 0x80;
            only_zero_width = only_zero_width && is_zero_width(in[j]);
        }
        char32_t before = out.empty() ? 0 : out.back();
        char32_t after = j < in.size() ? in[j] : 0;
        bool segment_break_between_wide = line_break && only_source_space && is_wide(before) && is_wide(after);
        if (!only_zero_width && !segment_break_between_wide) emit(U' ', i);
        i = j;
    }
    if (single_line) {
        std::u32string cleaned;
        for (char32_t c : out) {
            if (c == U'|' || c == U'\uFF5C') continue;  // table-drawing residue, never data
            if (c == U'\n') c = U' ';
            if (c == U' ' && (cleaned.empty() || cleaned.back() == U' ')) continue;
            cleaned.push_back(c);
        }
        while (!cleaned.empty() && cleaned.back() == U' ') cleaned.pop_back();
        return to_utf8(cleaned);
    }
    std::u32string result;
    std::vector<SourcePos> result_pos;
    std::u32string_view all(out);
    for (std::size_t start = 0; start <= all.size();) {
        std::size_t end = all.find(U'\n', start);
        if (end == std::u32string_view::npos) end = all.size();
        std::size_t first = start, last = end;
        while (first < last && all[first] == U' ') ++first;
        while (last > first && all[last - 1] == U' ') --last;
        if (first < last) {
            if (!result.empty()) {
                result.push_back(U'\n');
                if (tracked) result_pos.push_back(SourcePos{});
            }
            result += all.substr(first, last - first);
            if (tracked) result_pos.insert(result_pos.end(), out_pos.begin() + static_cast<std::ptrdiff_t>(first),
                                           out_pos.begin() + static_cast<std::ptrdiff_t>(last));
        }
        start = end + 1;
    }
    if (tracked) anchors_of(result_pos, *anchors);
    return to_utf8(result);
}

// Where the first visible character of a text node is in the source: gumbo gives
// the node's start; leading white space (also as &nbsp;) is stepped over.
SourcePos first_visible_position(const GumboText& text, PagePositions& positions) {
    SourcePos pos = positions.at(text.start_pos);
    std::string_view s(text.original_text.data, text.original_text.length);
    static constexpr std::array<std::string_view, 5> kSpaceEntities = {"&nbsp;", "&#160;", "&#xa0;", "&#12288;",
                                                                       "&ensp;"};
    for (std::size_t i = 0; i < s.size();) {
        auto entity = s[i] != '&' ? kSpaceEntities.end()
                                  : std::find_if(kSpaceEntities.begin(), kSpaceEntities.end(), [&](std::string_view e) {
                                        return ascii_lower(s.substr(i, e.size())) == e;
                                    });
        if (entity != kSpaceEntities.end()) {
            pos.column += static_cast<std::uint32_t>(entity->size());
            i += entity->size();
            continue;
        }
        std::size_t length = 1;
        unsigned char b = static_cast<unsigned char>(s[i]);
        if (b >= 0xF0) length = 4;
        else if (b >= 0xE0) length = 3;
        else if (b >= 0xC0) length = 2;
        std::u32string c = to_u32(s.substr(i, length));
        if (c.empty() || !is_space(c.front())) break;
        if (c.front() == U'\n') {
            ++pos.line;
            pos.column = 1;
        } else if (c.front() != U'\r') {
            ++pos.column;
        }
        i += length;
    }
    return pos;
}

// Length of the character reference at the start of `s` ("&amp;", "&#20013;",
// "&#x4E00;", "&nbsp" without its ';'); 0 when `s` does not start with one.
std::size_t reference_length(std::string_view s) {
    if (s.size() < 2 || s[0] != '&') return 0;
    std::size_t i = 1;
    if (s[1] == '#') {
        i = 2;
        bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
        if (hex) ++i;
        std::size_t digits = i;
        while (i < s.size() && (hex ? std::isxdigit(static_cast<unsigned char>(s[i]))
                                    : std::isdigit(static_cast<unsigned char>(s[i]))))
            ++i;
        if (i == digits) return 0;
    } else {
        while (i < s.size() && std::isalnum(static_cast<unsigned char>(s[i]))) ++i;
        if (i == 1) return 0;
    }
    if (i < s.size() && s[i] == ';') ++i;
    return i;
}

// Whether a reference stands for '&' itself: only then does a '&' of the text
// come from a reference rather than from a literal '&'.
bool is_ampersand_reference(std::string_view reference) {
    std::string name = ascii_lower(reference);
    if (!name.empty() && name.back() == ';') name.pop_back();
    return name == "&amp" || name == "&#38" || name == "&#x26";
}

// Walks a text node's original source beside its decoded text, giving each
// decoded character its source position: character references and CR LF are
// longer in the source than in the text. Should the two part (a reference gumbo
// reads otherwise), the rest counts on from the last matched character.
class SourceWalk {
public:
    SourceWalk(const GumboText& text, PagePositions& positions)
        : original_(text.original_text.data, text.original_text.length), pos_(positions.at(text.start_pos)) {}

    // Position of the next decoded character, `c` its UTF-8 bytes.
    SourcePos next(std::string_view c) {
        if (matched_) {
            // The newline right after <pre> is in the source, not in the text.
            if (at_ == 0 && starts_with("\n") && c != "\n") pass(1);
            if (c == "\n" && starts_with("\r\n")) pass(1);
            if (c == "\n" && starts_with("\r")) return take(1);
            std::size_t reference = starts_with("&") ? reference_length(original_.substr(at_)) : 0;
            if (reference > 0 && (c != "&" || is_ampersand_reference(original_.substr(at_, reference))))
                return take(reference);
            if (starts_with(c)) return take(c.size());
            matched_ = false;
        }
        SourcePos here = pos_;
        step(c);
        return here;
    }

private:
    bool starts_with(std::string_view s) const { return original_.substr(at_).starts_with(s); }
    SourcePos take(std::size_t bytes) {
        SourcePos here = pos_;
        pass(bytes);
        return here;
    }
    void pass(std::size_t bytes) {
        std::string_view passed = original_.substr(at_, bytes);
        for (std::size_t i = 0; i < passed.size();) {
            step(passed.substr(i, 1));
            (void)next_char(passed, i);
        }
        at_ += passed.size();
    }
    // Columns count characters, as html::PageLocator does (a CR is one).
    void step(std::string_view c) {
        if (c == "\n") {
            ++pos_.line;
            pos_.column = 1;
        } else {
            ++pos_.column;
        }
    }

    std::string_view original_;
    std::size_t at_ = 0;
    SourcePos pos_;
    bool matched_ = true;
};

bool is_kept_in_text(char c) {
    return static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// Inline content collected until the next block boundary.
struct InlineRun {
    InlineRun(PagePositions& page, bool track_positions = false)
        : positions(&page), tracked(track_positions) {}

    PagePositions* positions;
    bool tracked;                  // fill raw_pos (prose does, table cells need only their start)
    std::string raw;
    std::vector<SourcePos> raw_pos;  // per character of raw; a break has none
    SourcePos pos;
    bool has_text = false;
    bool all_bold = true;

    void add_text(const GumboText& text, bool bold) {
        std::string_view s(text.text);
        if (tracked) {
            add_tracked(text);
        } else {
            for (char c : s)
                if (is_kept_in_text(c)) raw.push_back(c);
        }
        if (!has_visible_char(s)) return;
        if (!has_text) pos = first_visible_position(text, *positions);
        has_text = true;
        all_bold = all_bold && bold;
    }
    void add_break() {
        raw.push_back(kBreak);
        if (tracked) raw_pos.push_back(SourcePos{});
    }

private:
    void add_tracked(const GumboText& text) {
        std::string_view s(text.text);
        SourceWalk walk(text, *positions);
        for (std::size_t i = 0, next = 0; i < s.size(); i = next) {
            (void)next_char(s, next);
            std::string_view c = s.substr(i, next - i);
            SourcePos here = walk.next(c);
            if (is_kept_in_text(c.front())) {
                raw += c;
                raw_pos.push_back(here);
            }
        }
    }
};

SourcePos element_position(const GumboNode* element, PagePositions& positions) {
    return positions.at(element->v.element.start_pos);
}

// ---------------------------------------------------------------- tables

std::vector<const GumboNode*> table_rows(const GumboNode* table) {
    std::vector<const GumboNode*> rows;
    const GumboVector& kids = table->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
        const GumboNode* kid = child_at(kids, i);
        GumboTag tag = tag_of(kid);
        if (tag == GUMBO_TAG_TR) {
            rows.push_back(kid);
        } else if (tag == GUMBO_TAG_THEAD || tag == GUMBO_TAG_TBODY || tag == GUMBO_TAG_TFOOT) {
            const GumboVector& section = kid->v.element.children;
            for (unsigned k = 0; k < section.length; ++k)
                if (tag_of(child_at(section, k)) == GUMBO_TAG_TR) rows.push_back(child_at(section, k));
        }
    }
    return rows;
}

std::vector<const GumboNode*> row_cells(const GumboNode* row) {
    std::vector<const GumboNode*> cells;
    const GumboVector& kids = row->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
        GumboTag tag = tag_of(child_at(kids, i));
        if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) cells.push_back(child_at(kids, i));
    }
    return cells;
}

// A table that holds the page (or a section of it) rather than figures: it
// contains tables or headings, a cell of running prose, or is a single box.
bool is_layout_table(const GumboNode* table) {
    std::size_t cell_count = 0;
    for (const GumboNode* row : table_rows(table)) {
        for (const GumboNode* cell : row_cells(row)) {
            ++cell_count;
            std::size_t visible = 0;
            std::vector<const GumboNode*> todo{cell};
            while (!todo.empty()) {
                const GumboNode* node = todo.back();
                todo.pop_back();
                if (node->type == GUMBO_NODE_TEXT) {
                    for (char32_t c : to_u32(node->v.text.text)) visible += is_space(c) ? 0 : 1;
                    if (visible > kLayoutCellChars) return true;
                } else if (is_element(node)) {
                    GumboTag tag = node->v.element.tag;
                    if (node != cell && (tag == GUMBO_TAG_TABLE || heading_level_of(tag) > 0)) return true;
                    if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE) continue;
                    const GumboVector& kids = node->v.element.children;
                    for (unsigned k = kids.length; k-- > 0;) todo.push_back(child_at(kids, k));
                }
            }
        }
    }
    return cell_count <= 1;
}

std::uint32_t span_attribute(const GumboNode* cell, const char* name, std::uint32_t fallback, std::uint32_t cap) {
    std::string_view value = attribute(cell, name);
    std::size_t i = 0;
    while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) ++i;
    std::uint64_t n = 0;
    bool digits = false;
    for (; i < value.size() && std::isdigit(static_cast<unsigned char>(value[i])); ++i) {
        digits = true;
        n = std::min<std::uint64_t>(n * 10 + static_cast<unsigned>(value[i] - '0'), cap);
    }
    if (!digits) return fallback;
    return static_cast<std::uint32_t>(n);
}

// Text of a cell: inline content joined, block boundaries and <br> as one space.
std::pair<std::string, SourcePos> cell_text(const GumboNode* cell, PagePositions& positions, LinkLists& link_lists) {
    InlineRun run(positions);
    struct Step { const GumboNode* node; bool bold; bool leaving; };
    std::vector<Step> todo{{cell, false, false}};
    while (!todo.empty()) {
        Step step = todo.back();
        todo.pop_back();
        const GumboNode* node = step.node;
        if (step.leaving) {
            run.add_break();
            continue;
        }
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
            run.add_text(node->v.text, step.bold);
            continue;
        }
        if (!is_element(node) || (node != cell && is_skipped(node, link_lists))) continue;
        GumboTag tag = node->v.element.tag;
        if (tag == GUMBO_TAG_BR) {
            run.add_break();
            continue;
        }
        bool block = node != cell && is_block_tag(tag);
        if (block) {
            run.add_break();
            todo.push_back({node, false, true});
        }
        bool bold = bold_inside(node, step.bold);
        const GumboVector& kids = node->v.element.children;
        for (unsigned k = kids.length; k-- > 0;) todo.push_back({child_at(kids, k), bold, false});
    }
    SourcePos pos = run.has_text ? run.pos : element_position(cell, positions);
    return {render_text(run.raw, true), pos};
}

// Every cell is spent from `budget`, empty ones too: each is kept.
Table build_table(const std::string& path, const GumboNode* table_node, PagePositions& positions,
                  LinkLists& link_lists, line_scan::BlockBudget& budget) {
    Table table;
    table.pos = element_position(table_node, positions);
    std::vector<const GumboNode*> rows = table_rows(table_node);
    table.rows.resize(rows.size());
    // Per column, how many more rows a rowspan from above still covers.
    std::vector<std::uint32_t> covered;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::uint32_t col = 0;
        auto rows_left = static_cast<std::uint32_t>(rows.size() - r);
        for (const GumboNode* cell_node : row_cells(rows[r])) {
            while (col < covered.size() && covered[col] > 0) ++col;
            TableCell cell;
            cell.colspan = std::max<std::uint32_t>(1, span_attribute(cell_node, "colspan", 1, kMaxTableColumns));
            std::uint32_t rowspan = span_attribute(cell_node, "rowspan", 1, kMaxRowspan);
            cell.rowspan = rowspan == 0 ? rows_left : std::min(rowspan, rows_left);  // 0: to the table's end
            if (col + cell.colspan > kMaxTableColumns)
                throw InputError(path, element_position(cell_node, positions),
                                 "table is wider than " + std::to_string(kMaxTableColumns) + " columns; refusing",
                                 "a report table has a few dozen columns at most; check the page's markup");
            cell.row = static_cast<std::uint32_t>(r);
            cell.col = col;
            std::tie(cell.text, cell.pos) = cell_text(cell_node, positions, link_lists);
            budget.spend(cell.pos);
            if (covered.size() < col + cell.colspan) covered.resize(col + cell.colspan, 0);
            for (std::uint32_t c = col; c < col + cell.colspan; ++c) covered[c] = std::max(covered[c], cell.rowspan);
            col += cell.colspan;
            table.column_count = std::max(table.column_count, col);
            table.rows[r].push_back(std::move(cell));
        }
        for (std::uint32_t& left : covered)
            if (left > 0) --left;
    }
    return table;
}

// ---------------------------------------------------------------- document walk

class BlockCollector {
public:
    BlockCollector(const std::string& path, const ReadLimits& limits, PagePositions& positions)
        : path_(path), limits_(limits), positions_(positions), budget_(path, limits.max_blocks), run_(positions, true) {}

    std::vector<Block> collect(const GumboNode* document) {
        stack_.push_back({document, 0, false, 0, false});
        while (!stack_.empty()) {
            Frame& frame = stack_.back();
            const GumboVector& kids = children_of(frame.node);
            if (frame.next_child < kids.length) {
                visit(child_at(kids, frame.next_child++));
                continue;
            }
            Frame done = frame;
            stack_.pop_back();
            if (done.is_block) flush();
            heading_level_ = done.outer_heading_level;
            bold_ = done.outer_bold;
        }
        flush();
        return std::move(blocks_);
    }

private:
    struct Frame {
        const GumboNode* node;
        unsigned next_child;
        bool is_block;
        int outer_heading_level;
        bool outer_bold;
    };

    void visit(const GumboNode* node) {
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
            run_.add_text(node->v.text, bold_);
            return;
        }
        if (!is_element(node) || is_skipped(node, link_lists_)) return;
        GumboTag tag = node->v.element.tag;
        if (tag == GUMBO_TAG_BR) {
            run_.add_break();
            return;
        }
        bool flattened = stack_.size() > limits_.max_nesting;
        if (tag == GUMBO_TAG_TABLE && !flattened && !is_layout_table(node)) {
            flush();
            Block block;
            block.kind = BlockKind::Table;
            block.table = build_table(path_, node, positions_, link_lists_, budget_);
            block.pos = block.table.pos;
            if (!block.table.rows.empty()) blocks_.push_back(std::move(block));
            return;
        }
        bool block = !flattened && is_block_tag(tag);
        if (block) flush();
        stack_.push_back({node, 0, block, heading_level_, bold_});
        if (block && heading_level_of(tag) > 0) heading_level_ = heading_level_of(tag);
        bold_ = bold_inside(node, bold_);
    }

    void flush() {
        if (run_.has_text) {
            Block block;
            block.text = render_text(run_.raw, false, run_.raw_pos, &block.anchors);
            block.pos = run_.pos;
            // Text that runs on from its start needs no anchor.
            if (block.anchors.size() == 1 && block.anchors.front().offset == 0 && block.anchors.front().pos == block.pos)
                block.anchors.clear();
            block.bold = run_.all_bold;
            if (heading_level_ > 0) {
                block.kind = BlockKind::Heading;
                block.heading_level = heading_level_;
            }
            if (!block.text.empty()) {
                budget_.spend(block.pos);
                blocks_.push_back(std::move(block));
            }
        }
        run_ = InlineRun(positions_, true);
    }

    const std::string& path_;
    const ReadLimits& limits_;
    PagePositions& positions_;
    LinkLists link_lists_;
    line_scan::BlockBudget budget_;
    std::vector<Frame> stack_;
    std::vector<Block> blocks_;
    InlineRun run_;
    int heading_level_ = 0;
    bool bold_ = false;
};

}  // namespace

namespace {

// A page cut off inside a tag ("<td colspan") is a download that stopped: read
// on, it would lose its last sections and tables, and the rules would blame the
// agency for them. A '<' in text is followed by a space or a digit ("a < b"),
// not by a letter, '/' or '!'.
void refuse_cut_off(const std::string& path, std::string_view html) {
    const std::size_t open = html.rfind('<');
    if (open == std::string_view::npos || open + 1 >= html.size()) return;
    const std::size_t close = html.rfind('>');
    if (close != std::string_view::npos && close > open) return;
    const unsigned char next = static_cast<unsigned char>(html[open + 1]);
    if (!(std::isalpha(next) || next == '/' || next == '!')) return;
    // Cut inside the page's last closing tags ("</body></htm"), it lost nothing.
    const std::string rest = ascii_lower(html.substr(open + 1, 5));
    if (std::string_view("/html").starts_with(rest) || std::string_view("/body").starts_with(rest)) return;
    const SourcePos pos = SourceText(path, std::string(html)).position_of(open);
    throw InputError(path, pos, "the HTML ends inside a tag: the file was cut off", "download or save the page again");
}

// Elements a complete page closes: unlike <p>, <li>, <td>, <tr>, <head>, <body>
// and <html>, whose end tags HTML lets a page leave out, and inline ones that
// sloppy pages leave open (<font>, <span>).
bool is_closed_by_complete_pages(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_TABLE: case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_MAIN: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL:
        case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_CENTER: case GUMBO_TAG_FORM:
        case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
        case GUMBO_TAG_H6: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_NAV:
        case GUMBO_TAG_ASIDE: case GUMBO_TAG_FIGURE: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE:
        case GUMBO_TAG_TITLE:
            return true;
        default:
            return false;
    }
}

const GumboNode* last_element_child(const GumboNode* element) {
    const GumboVector& kids = element->v.element.children;
    for (unsigned i = kids.length; i > 0; --i)
        if (is_element(child_at(kids, i - 1))) return child_at(kids, i - 1);
    return nullptr;
}

// The innermost element a complete page closes among those the end of the file
// closed below `top`. gumbo marks the elements whose end tag never came; those
// still open at the end are the last element of each level, down to one that was
// closed.
const GumboNode* open_at_end(const GumboNode* top) {
    const GumboNode* open = nullptr;
    for (const GumboNode* node = top; node && (node->parse_flags & GUMBO_INSERTION_IMPLICIT_END_TAG);
         node = last_element_child(node))
        if (is_closed_by_complete_pages(node->v.element.tag)) open = node;
    return open;
}

// A page cut off between tags ("…<td>1") parses into a shorter page, audited as
// if whole: a total read as 1, the last sections missing. A page that leaves out
// </body> and </html> (HTML allows it) but closes its tables and divisions is
// whole; one that stops inside them, with neither end tag anywhere, is cut.
void refuse_cut_between_tags(const std::string& path, std::string_view html, const GumboNode* root,
                             PagePositions& positions) {
    const GumboNode* open = open_at_end(root);
    // Cut in the <head>, a page has an empty <body>, made by the parser.
    const GumboNode* body = last_element_child(root);
    if (!open && body && tag_of(body) == GUMBO_TAG_BODY && !last_element_child(body) &&
        root->v.element.children.length > 0 && tag_of(child_at(root->v.element.children, 0)) == GUMBO_TAG_HEAD)
        open = open_at_end(child_at(root->v.element.children, 0));
    if (!open) return;
    // A fragment saved without its wrapper's end tag ("…<p>…。</p>" and no </div>)
    // is whole: a page cut in its text ends mid-text, one cut after an opening tag
    // ("…<h2>") ends with that, and one cut between tags inside a table leaves the
    // table open.
    // Where the text stops: trailing white space moves nothing.
    std::size_t last = html.size();
    while (last > 0 && std::isspace(static_cast<unsigned char>(html[last - 1]))) --last;
    const std::size_t tag_start = html.rfind('<', last == 0 ? 0 : last - 1);
    const bool ends_at_tag = last > 0 && html[last - 1] == '>' && tag_start != std::string_view::npos &&
                             tag_start + 1 < last && html[tag_start + 1] == '/';
    switch (open->v.element.tag) {
        case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN:
        case GUMBO_TAG_CENTER: case GUMBO_TAG_FORM: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
        case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FIGURE: case GUMBO_TAG_BLOCKQUOTE:
            if (ends_at_tag) return;
            break;
        default: break;
    }
    // gumbo ignores a </body> or </html> inside a table; the page still has its end.
    for (std::string_view end_tag : {"</body", "</html"}) {
        auto same = [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; };
        if (std::search(html.begin(), html.end(), end_tag.begin(), end_tag.end(), same) != html.end()) return;
    }
    const SourcePos at_end = SourceText(path, std::string(html)).position_of(last);
    const SourcePos opened = element_position(open, positions);
    throw InputError(path, at_end,
                     std::string("the HTML stops inside the <") + gumbo_normalized_tagname(open->v.element.tag) +
                         "> opened at line " + std::to_string(opened.line) +
                         ", with no </body> or </html> after it: the file was cut off",
                     "download or save the page again");
}

}  // namespace

Document read_html(const std::string& path, std::string_view bytes, const ReadLimits& limits) {
    if (bytes.size() > limits.max_file_bytes)
        throw InputError(path, {},
                         "file is larger than " + std::to_string(limits.max_file_bytes >> 20) + " MiB, which gouji does not read",
                         reader_errors::kTooLargeHint);
    Document document;
    document.path = path;
    document.format = "html";
    std::string html = decode_page(path, bytes, document.encoding);
    refuse_cut_off(path, html);

    precheck_markup(path, html, limits.max_nesting * kRefusalDepthFactor, limits.max_blocks);

    html::CondensedPage condensed(html, {kReadAttributes, kReadStyleProperties});
    GumboParse parse(condensed.html());
    if (!parse.output)
        throw InputError(path, {}, "the HTML parser could not read this file", "open the page in a browser and save it again");
    PagePositions positions(html, condensed);
    refuse_cut_between_tags(path, html, parse.output->root, positions);
    document.blocks = BlockCollector(path, limits, positions).collect(parse.output->document);
    document.page_meta = page_meta(html);
    return document;
}

}  // namespace gouji
