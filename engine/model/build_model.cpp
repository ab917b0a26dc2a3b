// The model builder: runs the model stages in order — metadata, template choice,
// sections, table binding, narrative — each a function of what came before.
#include <fmt/format.h>

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

const BoundTable* ReportModel::table(std::string_view id) const {
    for (const auto& t : tables)
        if (t.id == id) return &t;
    return nullptr;
}

namespace {

const TemplateSchema* template_for_year(const TemplateCatalog& catalog, int year) {
    if (year == 0) return nullptr;
    for (const auto& t : catalog.templates)
        if ((t.first_year == 0 || year >= t.first_year) && (t.last_year == 0 || year <= t.last_year)) return &t;
    return nullptr;
}

// Rows of a bound table that some cell's label placed (a found table whose rows
// were all placed by position alone may be another table's numbers).
std::size_t labelled_rows(const BoundTable& t) {
    std::size_t n = 0;
    for (const auto& row : t.cells)
        for (const auto& cell : row)
            if (cell && cell->row_binding == BindingMethod::Label && cell->value.missing != MissingReason::Absent) {
                ++n;
                break;
            }
    return n;
}

// Each table's own section: blocks [first, end), up to the next top-level section.
struct Span {
    std::size_t first = 0, end = 0;
    bool operator==(const Span&) const = default;
};

std::optional<Span> home_of(const TableSchema& table, const std::vector<Section>& sections, std::size_t blocks) {
    std::optional<Span> home;
    for (std::size_t i = 0; i < sections.size(); ++i)
        if (sections[i].canonical == table.section)
            home = Span{sections[i].first_block, i + 1 < sections.size() ? sections[i + 1].first_block : blocks};
    return home;
}

// A table its own section lacks (the report has no such section, or it says
// "详见附表"): looked for elsewhere, but never in another table's section, whose
// numbers it would take for its own (总计 heads 表四 as it ends 表三). Nothing
// when no stretch of the rest of the document shows it.
std::optional<BoundTable> bind_elsewhere(const Document& doc, const DocumentTokens& tokens, const TemplateSchema& schema,
                                         const TableSchema& table, const std::vector<Section>& sections,
                                         const std::optional<Span>& home) {
    std::vector<Span> others;
    for (const auto& other : schema.tables)
        if (&other != &table && other.section != table.section)
            if (auto span = home_of(other, sections, doc.blocks.size())) others.push_back(*span);
    std::sort(others.begin(), others.end(), [](const Span& a, const Span& b) { return a.first < b.first; });
    std::vector<Span> elsewhere;
    std::size_t from = 0;
    for (const auto& o : others) {
        if (o.first > from) elsewhere.push_back({from, o.first});
        from = std::max(from, o.end);
    }
    if (from < doc.blocks.size()) elsewhere.push_back({from, doc.blocks.size()});
    // Each grid table of those stretches on its own too: two tables appended
    // after 六 (附表1, 附表2) are one stretch, whose first values are not 表四's.
    std::vector<Span> candidates;
    for (const auto& span : elsewhere) {
        if (home && span == *home) continue;  // searched already
        candidates.push_back(span);
        for (std::size_t b = span.first; b < span.end; ++b)
            if (doc.blocks[b].kind == BlockKind::Table && !(span == Span{b, b + 1})) candidates.push_back({b, b + 1});
    }
    // What speaks for a candidate: rows its labels placed; for a flat table (表四,
    // placed by position under its header), a grid table of its own that it fills.
    auto evidence = [&](const BoundTable& bound, const Span& span) -> std::size_t {
        if (!bound.found) return 0;
        if (table.layout != TableLayout::Flat) {
            // One label in common (总计) is no table: a quarter of its rows is.
            const std::size_t rows = labelled_rows(bound);
            return rows >= std::max<std::size_t>(2, table.rows.size() / 4) ? rows : 0;
        }
        if (span.end != span.first + 1 || doc.blocks[span.first].kind != BlockKind::Table) return 0;
        for (const auto& row : bound.cells)
            for (const auto& cell : row)
                if (cell && cell->row_binding == BindingMethod::Missing) return 0;
        return bound.cells.size();
    };
    std::optional<BoundTable> best;
    std::size_t best_evidence = 0;
    for (const auto& span : candidates) {
        BoundTable bound = bind_table(tokens, table, span.first, span.end);
        const std::size_t e = evidence(bound, span);
        if (e > best_evidence) best = std::move(bound), best_evidence = e;
    }
    return best;
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
    model.metadata = read_metadata(doc);
    Metadata& meta = model.metadata;
    const TemplateSchema* by_year = template_for_year(catalog, meta.year);
    const DocumentTokens tokens(doc);
    const std::vector<HeadingShape> headings = heading_shapes(doc);

    // Judge every template by the document's shape (spans only: no section text).
    const TemplateSchema* by_shape = nullptr;
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
            }
        }
    }
    const TemplateSchema* chosen = by_year ? by_year : by_shape;
    TemplateDetection& detected = meta.detected;
    if (by_shape) {
        detected.shape_template_id = by_shape->id;
        detected.shape_reason = "labels matched per template: " + shape_reason;
    }
    if (by_year) {
        detected.template_id = by_year->id;
        detected.reason = fmt::format("report year {} → {} ({})", meta.year, by_year->id, by_year->title);
    } else if (by_shape) {
        detected.template_id = by_shape->id;
        detected.reason = meta.year ? fmt::format("no template covers year {}; chose the best match by shape", meta.year)
                                    : "report year unknown; chose the best match by shape";
    }
    model.template_schema = chosen;
    if (chosen) {
        model.sections = find_sections(doc, headings, *chosen);
        // Tables bound while judging are reused: binding reads only the sections' spans.
        auto& judged = tables_of[static_cast<std::size_t>(chosen - catalog.templates.data())];
        model.tables = by_shape ? std::move(judged) : bind_tables(doc, tokens, *chosen, model.sections);
    }
    extract_narrative(doc, model.sections, model.figures, model.lists);
    return model;
}

}  // namespace gouji
