// The scanner follows the HTML tokenizer's rules for where a tag, an attribute
// and a quoted value end (WHATWG "13.2.5 Tokenization"), because dropping bytes
// is only safe where gumbo would be inside a start tag too. Wherever the page is
// not plainly a start tag, bytes are copied: copying is always safe, it only
// leaves gumbo more to read.
#include "engine/readers/html_condense.hpp"

#include "gouji/text.hpp"

#include <algorithm>
#include <cstring>

namespace gouji::html {

namespace {

bool is_tag_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = lower(c);
    return out;
}

bool equals_ignoring_case(std::string_view a, std::string_view lower_b) {
    if (a.size() != lower_b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower_b[i]) return false;
    return true;
}

// Whether a style attribute declares one of `properties`, split into
// "name: value" declarations the way the reader splits them.
bool declares_any(std::string_view style, std::span<const std::string_view> properties) {
    while (!style.empty()) {
        std::size_t end = std::min(style.find(';'), style.size());
        std::string_view declaration = style.substr(0, end);
        style.remove_prefix(std::min(end + 1, style.size()));
        std::size_t colon = declaration.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view name = declaration.substr(0, colon);
        while (!name.empty() && is_tag_space(name.front())) name.remove_prefix(1);
        while (!name.empty() && is_tag_space(name.back())) name.remove_suffix(1);
        for (std::string_view property : properties)
            if (equals_ignoring_case(name, property)) return true;
    }
    return false;
}

// Elements whose content the tokenizer reads as text up to their end tag.
bool holds_raw_text(std::string_view lower_name) {
    static constexpr std::string_view kNames[] = {"script", "style",   "textarea", "title",
                                                  "xmp",    "iframe",  "noembed",  "noframes", "noscript"};
    return std::find(std::begin(kNames), std::end(kNames), lower_name) != std::end(kNames);
}

// End (one past '>') of a comment opened at `at` ("<!--"), or npos.
std::size_t comment_end(std::string_view page, std::size_t at) {
    std::size_t body = at + 4;
    if (page.substr(body, 1) == ">") return body + 1;   // "<!-->"
    if (page.substr(body, 2) == "->") return body + 2;  // "<!--->"
    std::size_t plain = page.find("-->", body);
    std::size_t bang = page.find("--!>", body);
    if (plain == std::string_view::npos && bang == std::string_view::npos) return std::string_view::npos;
    return plain <= bang ? plain + 3 : bang + 4;
}

}  // namespace

std::size_t raw_text_end(std::string_view page, std::size_t from, std::string_view lower_name) {
    for (std::size_t i = page.find("</", from); i != std::string_view::npos; i = page.find("</", i + 2)) {
        std::size_t after = i + 2 + lower_name.size();
        if (after > page.size()) break;
        if (!equals_ignoring_case(page.substr(i + 2, lower_name.size()), lower_name)) continue;
        if (after == page.size() || is_tag_space(page[after]) || page[after] == '/' || page[after] == '>') return i;
    }
    return page.size();
}

CondensedPage::CondensedPage(std::string_view page, const KeptMarkup& kept) {
    html_.reserve(page.size() / 2);
    runs_.emplace_back(0, 0);
    // The names of the current tag's attributes that may be kept, met so far: only
    // those, as every other attribute goes whether or not it came before. Never
    // more than the kept names, so a tag of 100,000 attributes stays linear.
    std::vector<std::string> seen;
    std::size_t i = 0;
    while (i < page.size()) {
        std::size_t open = page.find('<', i);
        if (open == std::string_view::npos || open + 1 >= page.size()) break;
        char next = page[open + 1];
        if (next == '!') {
            if (page.substr(open, 4) == "<!--") {
                std::size_t end = comment_end(page, open);
                if (end == std::string_view::npos) break;
                i = end;
            } else {
                std::size_t end = page.find('>', open);
                if (end == std::string_view::npos) break;
                i = end + 1;
            }
            continue;
        }
        if (next == '?') {
            std::size_t end = page.find('>', open);
            if (end == std::string_view::npos) break;
            i = end + 1;
            continue;
        }
        bool end_tag = next == '/';
        std::size_t name_start = open + (end_tag ? 2 : 1);
        if (name_start >= page.size() || !is_ascii_alpha(page[name_start])) {
            // "</>" and "</3" are not tags; "<3" is text.
            if (end_tag) {
                std::size_t end = page.find('>', open);
                if (end == std::string_view::npos) break;
                i = end + 1;
            } else {
                i = open + 1;
            }
            continue;
        }
        std::size_t k = name_start;
        while (k < page.size() && !is_tag_space(page[k]) && page[k] != '/' && page[k] != '>') ++k;
        std::string name = lower(page.substr(name_start, k - name_start));

        seen.clear();
        bool closed = false;
        while (k < page.size()) {
            std::size_t gap = k;
            while (k < page.size() && (is_tag_space(page[k]) || page[k] == '/')) ++k;
            if (k >= page.size()) break;
            if (page[k] == '>') {
                closed = true;
                ++k;
                break;
            }
            std::size_t attr_name_start = k++;  // a first '=' belongs to the name
            while (k < page.size() && !is_tag_space(page[k]) && page[k] != '/' && page[k] != '>' && page[k] != '=') ++k;
            std::string attr_name = lower(page.substr(attr_name_start, k - attr_name_start));
            std::size_t attr_end = k;
            std::string_view value;
            std::size_t after_name = k;
            while (after_name < page.size() && is_tag_space(page[after_name])) ++after_name;
            if (after_name < page.size() && page[after_name] == '=') {
                k = after_name + 1;
                while (k < page.size() && is_tag_space(page[k])) ++k;
                if (k < page.size() && (page[k] == '"' || page[k] == '\'')) {
                    std::size_t close = page.find(page[k], k + 1);
                    if (close == std::string_view::npos) {
                        k = page.size();
                        break;
                    }
                    value = page.substr(k + 1, close - k - 1);
                    k = close + 1;
                } else {
                    std::size_t value_start = k;
                    while (k < page.size() && !is_tag_space(page[k]) && page[k] != '>') ++k;
                    value = page.substr(value_start, k - value_start);
                }
                attr_end = k;
            }
            bool style = attr_name == "style";
            bool may_keep = !end_tag && (style || std::find(kept.attributes.begin(), kept.attributes.end(),
                                                            attr_name) != kept.attributes.end());
            bool keep = false;
            if (may_keep && std::find(seen.begin(), seen.end(), attr_name) == seen.end()) {
                seen.push_back(attr_name);
                keep = !style || declares_any(value, kept.style_properties);
            }
            if (!keep) drop(page, gap, attr_end);
        }
        // A tag cut off by the end of the page is discarded by the tokenizer; what
        // was dropped from it changes nothing.
        if (!closed) break;
        i = k;
        if (!end_tag && name == "plaintext") break;  // text to the end of the page, whatever follows
        if (!end_tag && holds_raw_text(name)) {
            std::size_t end = raw_text_end(page, i, name);
            // The reader skips scripts and style sheets. A style sheet, and a script
            // without "<!--" (which could hide an early "</script>" from the
            // tokenizer), end exactly where raw_text_end says, so their text can go.
            if (name == "style" || (name == "script" && page.substr(i, end - i).find("<!--") == std::string_view::npos))
                drop(page, i, end);
            i = end;
        }
    }
    finish(page);
}

void CondensedPage::drop(std::string_view page, std::size_t from, std::size_t to) {
    if (to <= from) return;
    html_.append(page.substr(copied_up_to_, from - copied_up_to_));
    copied_up_to_ = to;
    runs_.emplace_back(html_.size(), to);
}

void CondensedPage::finish(std::string_view page) { html_.append(page.substr(copied_up_to_)); }

std::size_t CondensedPage::page_offset(std::size_t offset) const {
    auto run = std::upper_bound(runs_.begin(), runs_.end(), offset,
                                [](std::size_t o, const auto& r) { return o < r.first; });
    --run;  // runs_ starts at (0, 0), so a run precedes every offset
    return run->second + (offset - run->first);
}

SourcePos PageLocator::at(std::size_t offset) {
    offset = std::min(offset, page_.size());
    if (offset < offset_) {
        auto after = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), offset,
                                      [](std::size_t o, const Checkpoint& c) { return o < c.offset; });
        --after;  // checkpoints_ starts at offset 0
        offset_ = after->offset;
        pos_ = after->pos;
    }
    // Forward in stride-sized pieces, leaving a checkpoint at each boundary not yet recorded.
    while (offset_ < offset) {
        std::size_t boundary = (offset_ / kCheckpointStride + 1) * kCheckpointStride;
        advance_to(std::min(offset, boundary));
        if (offset_ == boundary && checkpoints_.back().offset < boundary) checkpoints_.push_back({offset_, pos_});
    }
    return pos_;
}

// Column counts characters from their lead bytes, so a stride boundary inside a
// character is harmless: its continuation bytes count for nothing on either side.
void PageLocator::advance_to(std::size_t offset) {
    std::string_view passed = page_.substr(offset_, offset - offset_);
    // Lines are few and long: hop from newline to newline, count characters once.
    for (const char* nl; (nl = static_cast<const char*>(std::memchr(passed.data(), '\n', passed.size())));) {
        ++pos_.line;
        pos_.column = 1;
        passed.remove_prefix(static_cast<std::size_t>(nl - passed.data()) + 1);
    }
    pos_.column += static_cast<std::uint32_t>(char_count(passed));
    bytes_counted_ += offset - offset_;
    offset_ = offset;
}

}  // namespace gouji::html
