// The model builder: runs the model stages in order — metadata, template choice,
// sections, table binding, narrative — each a function of what came before.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>
#include <optional>

#include "engine/model/binder.hpp"
#include "engine/model/heading.hpp"
#include "engine/model/metadata.hpp"
#include "engine/model/narrative.hpp"
#include "engine/model/sections.hpp"
#include "gouji/report_model.hpp"
#include "gouji/text.hpp"

namespace gouji {

std::string_view to_string(BindingMethod m) {
    switch (m) {
        case BindingMethod::Label: return "label";
        case BindingMethod::Position: return "position";
        case BindingMethod::Missing: return "missing";
    }
    return "unknown";
}

const BoundCell* BoundTable::cell(std::string_view row, std::string_view column) const {
    if (!schema) return nullptr;
    auto r = schema->row_index(row);
    auto c = schema->column_index(column);
    if (!r || !c) return nullptr;
    const auto& slot = cells[*r][*c];
    return slot ? &*slot : nullptr;
}

std::size_t BoundTable::blanks_read_as_zero() const {
    std::size_t n = 0;
    for (const auto& row : cells)
        for (const auto& c : row) n += c && c->blank_read_as_zero;
    return n;
}

bool BoundTable::numberless() const {
    if (!found) return false;
    bool written = false;
    for (const auto& row : cells)
        for (const auto& c : row) {
            if (!c) continue;
            const Value& v = c->value;
            if (v.has_number() || v.missing == MissingReason::Unplaced) return false;
            written = written || v.missing != MissingReason::Absent;
        }
    return written;
}

const BoundTable* ReportModel::table(std::string_view id) const {
    for (const auto& t : tables)
        if (t.id == id) return &t;
    return nullptr;
}

namespace {

// A cell with no number that says nothing else: blank, or marked none ("—", "/", "无").
bool says_none(const BoundCell& c) {
    const MissingReason m = c.value.missing;
    return m == MissingReason::Blank || m == MissingReason::Dash || m == MissingReason::Slash || m == MissingReason::Nil;
}

// A cell marked none ("—", "/", "无"): it says it has no number, where a blank one
// may have lost it.
bool marked_none(const BoundCell& c) {
    const MissingReason m = c.value.missing;
    return m == MissingReason::Dash || m == MissingReason::Slash || m == MissingReason::Nil;
}

// Where its template says a table may (TableSchema::blank_is_zero_without_zeros), a
// table of numbers means 0 by the cells it marks none ("—", "/", "无"), and, when it
// writes no 0 anywhere, by its blank cells too (its zeros left blank). A table that
// writes 0 somewhere means a missing number by a blank cell. (A table of marks and no
// number at all is numberless: nothing in it is read.)
void read_blanks_as_zero(BoundTable& table) {
    if (!table.found || !table.schema || !table.schema->blank_is_zero_without_zeros) return;
    bool none = false, number = false, zero = false;
    for (const auto& row : table.cells)
        for (const auto& c : row) {
            if (!c) continue;
            if (c->value.has_number()) {
                number = true;
                zero = zero || c->value.number == 0;
            }
            none = none || says_none(*c);
        }
    if (!none || !number) return;
    for (auto& row : table.cells)
        for (auto& c : row)
            if (c && (zero ? marked_none(*c) : says_none(*c))) {
                c->value = Value::of(0);
                c->blank_read_as_zero = true;
            }
}

// Rows of a bound table that some cell's label placed (a found table whose rows
// were all placed by position alone may be another table's numbers).
std::size_t labelled_rows(const BoundTable& t) {
    std::size_t n = 0;
    for (const auto& row : t.cells)
        for (const auto& cell : row)
            if (cell && cell->row_binding == BindingMethod::Label && cell->value.missing != MissingReason::Absent &&
                cell->value.missing != MissingReason::Unplaced) {
                ++n;
                break;
            }
    return n;
}

// Each table's own section: blocks [first, end), up to the next top-level section.
struct Span {
    std::size_t first = 0, end = 0;
};

std::optional<Span> home_of(const TableSchema& table, const std::vector<Section>& sections, std::size_t blocks) {
    std::optional<Span> home;
    for (std::size_t i = 0; i < sections.size(); ++i)
        if (sections[i].canonical == table.section)
            home = Span{sections[i].first_block, i + 1 < sections.size() ? sections[i + 1].first_block : blocks};
    return home;
}

// A flat table's cells are placed by position: unless every one got a number, the
// numbers found were not this table's (another table's, or prose).
bool filled(const BoundTable& bound) {
    if (!bound.found) return false;
    for (const auto& row : bound.cells)
        for (const auto& cell : row)
            if (cell && cell->row_binding == BindingMethod::Missing) return false;
    return true;
}

// Whether `needle`'s characters appear in `text` in order, others between them.
bool in_order(std::u32string_view needle, std::u32string_view text) {
    std::size_t at = 0;
    for (char32_t c : text)
        if (at < needle.size() && c == needle[at]) ++at;
    return at == needle.size();
}

// Whether block `b` starts `table`'s header: its first anchor is a header cell of
// its own (a grid table's first cell; in text and PDF, which put each cell of a
// scraped table on a line, a line or a "|" row's first cell), and the second
// anchor follows within a few lines or rows. A PDF may split a header cell over
// lines ("结果 结果 其他" above "维持 纠正 结果"): the second anchor's characters need
// only come in its order. A sentence that speaks of 行政复议 and 结果维持 is no
// header: its first cell is the whole sentence.
bool starts_header(const Document& doc, std::size_t b, const TableSchema& table) {
    if (table.anchors.size() < 2) return false;
    const std::string first = normalize_label(table.anchors[0]);
    const std::u32string second = to_u32(normalize_label(table.anchors[1]));
    auto is_first = [&](std::string_view cell) {
        if (cell.starts_with("|")) {
            cell.remove_prefix(1);
            cell = cell.substr(0, cell.find('|'));
        }
        // Cheap before normalizing: a cell of a header is short, and every paragraph
        // of a report may be asked.
        if (cell.size() > 8 * first.size()) return false;
        const std::string label = normalize_label(cell);
        return label.starts_with(first) && label.size() <= 2 * first.size();
    };
    constexpr std::size_t header_lines = 4;
    std::string header;  // the lines or rows that may hold the header, normalized
    const Block& block = doc.blocks[b];
    if (block.kind == BlockKind::Table) {
        const auto& rows = block.table.rows;
        if (rows.empty() || rows[0].empty() || !is_first(rows[0][0].text)) return false;
        for (std::size_t r = 0; r < rows.size() && r <= header_lines; ++r)
            for (const auto& cell : rows[r]) header += normalize_label(cell.text);
    } else {
        if (!is_first(block.text)) return false;
        for (std::size_t k = b; k < doc.blocks.size() && k <= b + header_lines; ++k)
            header += normalize_label(doc.blocks[k].text);
    }
    return in_order(second, to_u32(header));
}

// A table its own section lacks (the report has no such section, its heading is
// worded otherwise, or it says "详见附表"): looked for in the rest of the document,
// and taken only where enough of it shows. A table laid out by its labels (表二,
// 表三) must have a quarter of its rows placed by label: 总计 alone, which heads
// 表四 as it ends 表三, is no 表三. A flat table (表四, placed by position under its
// header) must fill a grid table of its own: outside the other tables' sections,
// or inside one when the grid starts with its header (starts_header); in text and
// PDF, which have no grid tables, every cell from such a header up to the next
// section. Nothing when none does.
std::optional<BoundTable> bind_elsewhere(const Document& doc, const DocumentTokens& tokens, const TemplateSchema& schema,
                                         const TableSchema& table, const std::vector<Section>& sections,
                                         const std::optional<Span>& home) {
    if (table.layout != TableLayout::Flat) {
        BoundTable bound = bind_table(tokens, table, 0, doc.blocks.size());
        const std::size_t rows = labelled_rows(bound);
        if (!bound.found || rows < std::max<std::size_t>(2, table.rows.size() / 4)) return std::nullopt;
        return bound;
    }
    std::vector<Span> others;
    for (const auto& other : schema.tables)
        if (&other != &table && other.section != table.section)
            if (auto span = home_of(other, sections, doc.blocks.size())) others.push_back(*span);
    auto in_other_section = [&](std::size_t block) {
        return std::any_of(others.begin(), others.end(), [&](const Span& o) { return block >= o.first && block < o.end; });
    };
    // A report holds a few dozen tables; a page of thousands is not searched past these.
    constexpr std::size_t max_candidates = 64;
    std::size_t tried = 0;
    const bool line_based = doc.format == "text" || doc.format == "pdf";
    for (std::size_t b = 0; b < doc.blocks.size() && tried < max_candidates; ++b) {
        const Block& block = doc.blocks[b];
        if (home && b >= home->first && b < home->end) continue;
        // Inside another table's section only by its own header: there it shares the
        // section with a table whose numbers a position-bound table would take.
        std::size_t end = b + 1;
        if (block.kind == BlockKind::Table) {
            if (in_other_section(b) && !starts_header(doc, b, table)) continue;
        } else {
            if (!line_based || block.kind != BlockKind::Paragraph || !starts_header(doc, b, table)) continue;
            end = doc.blocks.size();
            for (const auto& s : sections)
                if (s.first_block > b) end = std::min(end, s.first_block);
        }
        ++tried;
        BoundTable bound = bind_table(tokens, table, b, end);
        if (filled(bound)) return bound;
    }
    return std::nullopt;
}

std::vector<BoundTable> bind_tables(const Document& doc, const DocumentTokens& tokens, const TemplateSchema& schema,
                                    const std::vector<Section>& sections) {
    std::vector<BoundTable> tables;
    for (const auto& table : schema.tables) {
        const std::optional<Span> home = home_of(table, sections, doc.blocks.size());
        if (home) {
            BoundTable bound = bind_table(tokens, table, home->first, home->end);
            if (bound.found) {
                tables.push_back(std::move(bound));
                continue;
            }
        }
        if (auto found = bind_elsewhere(doc, tokens, schema, table, sections, home)) tables.push_back(std::move(*found));
        else tables.push_back(bind_table(tokens, table, home ? home->first : 0, home ? home->end : 0));
    }
    return tables;
}

// How much of a template the document shows, from its own labels: the share of
// each table's rows found by label, plus the share of sections found.
double shape_score(const TemplateSchema& schema, const std::vector<Section>& sections,
                   const std::vector<BoundTable>& tables) {
    double score = 0;
    for (const auto& t : tables)
        if (!t.schema->rows.empty())
            score += static_cast<double>(labelled_rows(t)) / static_cast<double>(t.schema->rows.size());
    if (!schema.sections.empty()) score += static_cast<double>(sections.size()) / static_cast<double>(schema.sections.size());
    return score;
}

}  // namespace

ReportModel build_model(Document document, const TemplateCatalog& catalog, const ModelOptions& options) {
    ReportModel model;
    model.document = std::move(document);
    const Document& doc = model.document;
    model.metadata = read_metadata(doc, catalog.metadata);
    Metadata& meta = model.metadata;
    const TemplateSchema* by_year = template_for_year(catalog, meta.year);
    const DocumentTokens tokens(doc, catalog.metadata.number_words);
    const std::vector<HeadingShape> headings = heading_shapes(doc);

    // Judge every template by the document's shape (spans only: no section text).
    const TemplateSchema* by_shape = nullptr;
    // Those that match as well as by_shape (a template based on another, which
    // changes nothing the document shows): the first loaded is chosen.
    std::vector<std::string> shape_ties;
    std::vector<std::vector<BoundTable>> tables_of(catalog.templates.size());
    std::string shape_reason;
    if (options.judge_every_template || !by_year) {
        double best = -1;
        for (std::size_t i = 0; i < catalog.templates.size(); ++i) {
            const TemplateSchema& t = catalog.templates[i];
            std::vector<Section> sections = find_sections(doc, headings, t, /*with_text=*/false);
            tables_of[i] = bind_tables(doc, tokens, t, sections);
            double score = shape_score(t, sections, tables_of[i]);
            shape_reason += fmt::format("{}{} {:.2f}", shape_reason.empty() ? "" : ", ", t.id, score);
            if (score > best + 1e-9) {
                best = score;
                by_shape = &t;
                shape_ties.clear();
            } else if (score > best - 1e-9) {
                shape_ties.push_back(t.id);
            }
        }
        // No heading and no row label of any template: not a report of theirs,
        // and choosing one would judge it against six absent sections.
        if (best <= 1e-9) by_shape = nullptr;
    }
    const TemplateSchema* chosen = by_year ? by_year : by_shape;
    TemplateDetection& detected = meta.detected;
    if (by_shape) detected.shape_template_id = by_shape->id;
    if (!shape_reason.empty()) detected.shape_reason = "labels matched per template: " + shape_reason;
    if (by_year) {
        detected.template_id = by_year->id;
        detected.reason = fmt::format("report year {} → {} ({}{})", meta.year, by_year->id, by_year->title,
                                      by_year->based_on.empty() ? "" : ", based on " + by_year->based_on.front());
    } else if (by_shape) {
        detected.template_id = by_shape->id;
        detected.reason = meta.year ? fmt::format("no template covers year {}; chose the best match by shape", meta.year)
                                    : "report year unknown; chose the best match by shape";
        if (!shape_ties.empty())
            detected.reason += fmt::format("; {} {} as well, and {} is loaded first{}", fmt::join(shape_ties, ", "),
                                           shape_ties.size() == 1 ? "matches" : "match", by_shape->id,
                                           meta.year ? "" : " (a report year would tell them apart)");
    } else {
        detected.reason = meta.year ? fmt::format("no template covers year {}, and no template's headings or table "
                                                  "labels are in the document", meta.year)
                                    : "report year unknown, and no template's headings or table labels are in the document";
    }
    model.template_schema = chosen;
    model.number_words = &catalog.metadata.number_words;
    if (chosen) {
        model.sections = find_sections(doc, headings, *chosen);
        // Tables bound while judging are reused: binding reads only the sections' spans.
        auto& judged = tables_of[static_cast<std::size_t>(chosen - catalog.templates.data())];
        model.tables = by_shape ? std::move(judged) : bind_tables(doc, tokens, *chosen, model.sections);
        for (auto& table : model.tables) read_blanks_as_zero(table);
    }
    extract_narrative(doc, model.sections, model.figures, model.lists, meta.year,
                      catalog.metadata.heading_year_exceptions, catalog.metadata.number_words);
    return model;
}

}  // namespace gouji
