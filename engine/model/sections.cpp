#include "engine/model/sections.hpp"

#include <algorithm>
#include <unordered_map>

#include "engine/model/heading.hpp"
#include "engine/model/labels.hpp"
#include "engine/model/narrative.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

constexpr std::size_t kMinPartialMatchChars = 4;

// How well a heading title names a template section: 0 = not at all. Longer
// shared wording wins, so "存在的主要问题及改进情况" beats "存在的主要问题".
std::size_t title_match_score(const std::string& title, bool title_long_enough, const NamedLabel& label) {
    std::size_t best = 0;
    for (const std::string& alias : label.normalized) {
        if (alias.empty()) continue;
        if (title == alias) best = std::max(best, alias.size() * 2 + 1);
        else if (title.find(alias) != std::string::npos) best = std::max(best, alias.size());
        else if (title_long_enough && alias.find(title) != std::string::npos)
            best = std::max(best, title.size());
    }
    return best;
}

struct HeadingLine {
    std::size_t block;
    std::uint32_t line;
    std::string text;  // the heading line as written
    HeadingShape shape;
};


bool heading_sized(const HeadingShape& shape) { return shape.sized; }

// A heading block as its title and the body that shares it: "六、其他需要报告的事项。
// 本机关未收取…" is titled up to its 。, and the rest of the line, with the block's
// further lines, is the section's text (else the section reads as empty).
struct HeadingSplit {
    std::string title, body;
};
HeadingSplit split_heading(const Block& block, std::size_t head_size, const HeadingShape& shape) {
    const std::string_view line = std::string_view(block.text).substr(0, head_size);
    HeadingSplit out;
    const std::size_t stop = shape.short_line ? std::string_view::npos : line.find("。");
    if (stop == std::string_view::npos) {
        out.title = trim(line);
    } else {
        out.title = trim(line.substr(0, stop));
        out.body = trim(line.substr(stop + std::string_view("。").size()));
    }
    if (head_size < block.text.size()) {
        if (!out.body.empty()) out.body += '\n';
        out.body += block.text.substr(head_size + 1);
    }
    return out;
}

// A table's cells as lines of text: a row per line, its cells separated by a tab.
std::string table_text(const Table& table) {
    std::string out;
    for (const auto& row : table.rows) {
        if (row.empty()) continue;
        if (!out.empty()) out += '\n';
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c > 0) out += '\t';
            out += row[c].text;
        }
    }
    return out;
}

}  // namespace

const SectionSchema* match_normalized_title(const std::string& norm, const TemplateSchema& schema) {
    if (norm.empty()) return nullptr;
    const SectionSchema* best = nullptr;
    std::size_t best_score = 0;
    const bool long_enough = char_count(norm) >= kMinPartialMatchChars;
    for (const auto& section : schema.sections) {
        std::size_t score = title_match_score(norm, long_enough, section);
        if (score > best_score) {
            best_score = score;
            best = &section;
        }
    }
    return best;
}

const SectionSchema* match_section_title(std::string_view title, const TemplateSchema& schema) {
    return match_normalized_title(normalize_label(title), schema);
}

std::vector<Section> find_sections(const Document& doc, const TemplateSchema& schema) {
    return find_sections(doc, heading_shapes(doc), schema);
}

namespace {

// A line of a table of contents: a heading's words, then leaders or a tab, then
// its page ("一、总体情况……1", "一、总体情况\t1", "一、总体情况 .......... 3"). Word and
// page-layout conversions put one before the parts, whose headings it repeats.
bool toc_entry(std::string_view line) {
    // Only a short line ending in a digit (ASCII, or full-width: EF BC 90–99) may be
    // one: every block's first line comes here, most of them paragraphs.
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    if (line.empty() || line.size() > 400) return false;
    const auto last = static_cast<unsigned char>(line.back());
    const bool digit = (last >= '0' && last <= '9') ||
                       (line.size() >= 3 && static_cast<unsigned char>(line[line.size() - 3]) == 0xEF &&
                        static_cast<unsigned char>(line[line.size() - 2]) == 0xBC && last >= 0x90 && last <= 0x99);
    if (!digit) return false;
    std::u32string s = fold_chars(line);
    while (!s.empty() && is_space(s.back()) && s.back() != U'\t') s.pop_back();
    std::size_t end = s.size();
    while (end > 0 && s[end - 1] >= U'0' && s[end - 1] <= U'9') --end;
    if (end == s.size() || s.size() - end > 3 || end == 0) return false;
    std::size_t leaders = 0, spaces = 0;
    bool tab = false;
    for (std::size_t i = end; i > 0; --i) {
        const char32_t c = s[i - 1];
        if (c == U'\t') tab = true;
        else if (c == U'…' || c == U'.' || c == U'·' || c == U'-' || c == U'_' || c == U'—' || c == U'⋯') ++leaders;
        else if (is_space(c)) ++spaces;
        else break;
    }
    return tab || leaders >= 2 || spaces >= 4;
}

// A heading that names no section by label or alias, taken by its number: numbered as
// a section not found yet ("五、问题与改进"), after the parts found so far (all of lower
// numbers), marked up as the part before it is (a markdown heading of its level), and
// holding one of the section's keywords ("问题"). "五、附件" holds none: it stays a
// sub-heading. The section and the keyword, or null.
struct KeywordMatch {
    const SectionSchema* section = nullptr;
    const std::string* keyword = nullptr;
};
KeywordMatch match_by_number(const Block& block, const HeadingShape& shape, const std::vector<Section>& found,
                             const Document& doc, const std::vector<HeadingShape>& headings,
                             const TemplateSchema& schema, const std::vector<bool>& seen) {
    if (shape.level == 0 || shape.number <= 0) return {};
    if (!found.empty()) {
        const Section& before = found.back();
        if (before.template_number >= shape.number) return {};
        const Block& part = doc.blocks[before.first_block];
        if (headings[before.first_block].level != shape.level) return {};
        if (part.kind == BlockKind::Heading &&
            (block.kind != BlockKind::Heading || block.heading_level != part.heading_level))
            return {};
    } else if (shape.number != 1) {
        return {};
    }
    for (std::size_t i = 0; i < schema.sections.size(); ++i) {
        const SectionSchema& section = schema.sections[i];
        if (section.number != shape.number || seen[i]) continue;
        for (const std::string& word : section.keywords)
            if (shape.norm_title.find(word) != std::string::npos) return {&section, &word};
    }
    return {};
}

// Whether "(一)" (a folded "（X）" numbering) counts `number`.
bool numbered_as(const std::string& numbering, int number) {
    std::u32string digits = to_u32(numbering);
    std::erase_if(digits, [](char32_t c) { return c == U'(' || c == U')'; });
    const auto value = parse_chinese_count(digits);
    return value && *value == number;
}

// How a report numbers its parts, past "X、" and headings marked up without a number.
enum class PartNumbering {
    Usual,
    Bracketed,  // "（一）"…"（六）"
    Arabic,     // "1."…"6." or "1、", marked up as headings (else a list's items)
};

// The sections, top-level ones numbered "X、" or marked up without a number, or as
// `numbering` says.
std::vector<Section> sections_of(const Document& doc, const std::vector<HeadingShape>& headings,
                                 const TemplateSchema& schema, bool with_text, PartNumbering numbering) {
    std::vector<Section> sections;
    std::vector<bool> seen(schema.sections.size(), false);
    // Open headings below the current top-level section, innermost last.
    std::vector<Section*> open;
    std::unordered_map<std::string, bool> table_label_memo;
    auto body_target = [&]() -> Section* { return open.empty() ? nullptr : open.back(); };

    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
        const Block& block = doc.blocks[b];
        std::uint32_t line = block.pos.line;
        auto extend_open = [&](std::uint32_t last) {
            for (Section* s : open) {
                s->last_line = std::max(s->last_line, last);
                s->end_block = b + 1;
            }
        };
        if (block.kind == BlockKind::Table) {
            std::uint32_t last = line;
            if (!block.table.rows.empty() && !block.table.rows.back().empty())
                last = std::max(last, block.table.rows.back().back().pos.line);
            extend_open(last);
            for (Section* s : open) ++s->tables;
            // As a plain-text report has them: one line per row, cells apart, so a
            // rule reading a section's text sees its tables' words in every format.
            if (with_text && !open.empty()) {
                const std::string rows = table_text(block.table);
                for (Section* target : {open.front(), open.back()}) {
                    if (!target->text.empty() && !rows.empty()) target->text += '\n';
                    target->text += rows;
                    if (open.size() == 1) break;
                }
            }
            continue;
        }
        const std::size_t head_size = std::min(block.text.find('\n'), block.text.size());
        const HeadingShape& shape = headings[b];
        const bool contents = toc_entry(std::string_view(block.text).substr(0, head_size));
        bool markup_heading = block.kind == BlockKind::Heading || block.bold;

        auto table_label = [&](const std::string& norm_title) {
            // Flattened tables repeat the same labels; remember each verdict.
            auto [it, inserted] = table_label_memo.try_emplace(norm_title, false);
            if (inserted) it->second = is_table_label(norm_title, schema);
            return it->second;
        };

        // A top-level section: numbered "X、" or marked up, and titled like the template.
        const bool top_shape = shape.level == 1 || (markup_heading && shape.level == 0) ||
                               (numbering == PartNumbering::Bracketed && shape.level == 2) ||
                               (numbering == PartNumbering::Arabic && shape.level == 3 && markup_heading);
        if (top_shape && heading_sized(shape) && !contents) {
            const SectionSchema* match = match_normalized_title(shape.norm_title, schema);
            // Numbered "（X）" on top, the number must be the part's: "（一）主动公开"
            // under part 一 is its sub-heading, whatever part its words name.
            if (match && shape.level == 2 && !numbered_as(shape.numbering, match->number)) match = nullptr;
            if (match && shape.level == 3 && shape.number != match->number) match = nullptr;
            const std::string* keyword = nullptr;
            if (!match || seen[static_cast<std::size_t>(match - schema.sections.data())]) {
                const KeywordMatch by_number = match_by_number(block, shape, sections, doc, headings, schema, seen);
                // "四、结转下年度继续办理" of a flattened 表三 is a row, whatever its words.
                if (by_number.section && !table_label(shape.norm_title)) {
                    match = by_number.section;
                    keyword = by_number.keyword;
                }
            }
            if (match) {
                std::size_t index = static_cast<std::size_t>(match - schema.sections.data());
                if (!seen[index]) {
                    seen[index] = true;
                    Section s;
                    HeadingSplit split = split_heading(block, head_size, shape);
                    s.title = std::move(split.title);
                    if (with_text) s.text = std::move(split.body);
                    s.numbering = shape.numbering;
                    s.level = 1;
                    s.canonical = match->id;
                    s.template_number = match->number;
                    if (keyword) s.matched_keyword = *keyword;
                    s.first_line = s.last_line = line;
                    s.first_block = b;
                    s.end_block = b + 1;
                    s.pos = block.pos;
                    sections.push_back(std::move(s));
                    open.clear();
                    open.push_back(&sections.back());
                    continue;
                }
            }
        }
        // A sub-heading: "（一）", "1.", "(1)" or a markdown heading, heading-sized.
        if (!open.empty() && ((shape.level >= 2) || (markup_heading && shape.level == 0) || shape.level == 1) &&
            heading_sized(shape) && !contents && !table_label(shape.norm_title)) {
            int level = shape.level >= 2 ? shape.level : (block.heading_level > 0 ? std::max(2, block.heading_level) : 2);
            if (shape.level == 1) level = 2;  // an unmatched "X、" inside a section
            while (open.size() > 1 && open.back()->level >= level) open.pop_back();
            Section child;
            HeadingSplit split = split_heading(block, head_size, shape);
            // As written ("（一）", not the folded "(一)" the shape reads), as a part's
            // title is.
            child.title = std::move(split.title);
            child.numbering = shape.numbering;
            child.level = level;
            child.first_line = child.last_line = line;
            child.first_block = b;
            child.end_block = b + 1;
            child.pos = block.pos;
            std::string rest = with_text ? std::move(split.body) : std::string();
            Section* parent = open.back();
            parent->children.push_back(std::move(child));
            // Pointers into `children` stay valid until the parent gets another child,
            // and a new sibling always pops the previous one first.
            open.push_back(&parent->children.back());
            extend_open(line);
            // Parents' text includes their sub-headings; the child's text is what follows its title.
            if (with_text) {
                if (!open.front()->text.empty()) open.front()->text += '\n';
                open.front()->text += block.text;
                if (!rest.empty()) open.back()->text += rest;
            }
            continue;
        }
        if (body_target() != nullptr) {
            // The top-level section's text is all of it; a sub-section keeps its own
            // body. Middle levels are skipped so big files are not copied per level.
            for (Section* target : {open.front(), open.back()}) {
                if (with_text) {
                    if (!target->text.empty()) target->text += '\n';
                    target->text += block.text;
                }
                if (open.size() == 1) break;
            }
            std::uint32_t last = line + shape.newlines;
            extend_open(last);
        }
    }
    return sections;
}

}  // namespace

std::vector<Section> find_sections(const Document& doc, const std::vector<HeadingShape>& headings,
                                   const TemplateSchema& schema, bool with_text) {
    std::vector<Section> sections = sections_of(doc, headings, schema, with_text, PartNumbering::Usual);
    // No part headed "X、" or marked up alone: the parts may be numbered "（一）"…"（六）",
    // or "1."…"6." in bold. Only then, for these are a sub-section's numbers in any
    // report that has parts; and only when most parts are so found, the first among
    // them: a report whose part headings were lost keeps sub-headings such as
    // "（二）主动公开" as they were.
    if (!sections.empty()) return sections;
    for (PartNumbering numbering : {PartNumbering::Bracketed, PartNumbering::Arabic}) {
        std::vector<Section> numbered = sections_of(doc, headings, schema, with_text, numbering);
        const bool first_found =
            std::any_of(numbered.begin(), numbered.end(), [](const Section& s) { return s.template_number == 1; });
        if (first_found && numbered.size() * 3 >= schema.sections.size() * 2) return numbered;
    }
    return sections;
}

int count_matching_sections(const Document& doc, const TemplateSchema& schema) {
    int n = 0;
    for (const auto& s : find_sections(doc, schema)) n += s.canonical.empty() ? 0 : 1;
    return n;
}

}  // namespace gouji
