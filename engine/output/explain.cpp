#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "gouji/explain.hpp"
#include "gouji/text.hpp"

// The JSON here is the contract of docs/explain-json.md: a key the doc lists is always
// written (null when the model has nothing for it) unless the doc says it is left out,
// and a field added, renamed or dropped needs a CHANGELOG.md entry.
namespace gouji {

using json = nlohmann::ordered_json;

json pos_to_json(const SourcePos& pos) {
    json j = json::object();
    j["line"] = pos.line;
    j["column"] = pos.column;
    if (pos.page) j["page"] = pos.page;
    return j;
}

namespace {

json known_pos_to_json(const SourcePos& pos) { return pos.known() ? pos_to_json(pos) : json(); }

// Beyond 2^53 a double no longer holds every whole number: such a number stays a float.
constexpr double kLargestExactWhole = 9007199254740992.0;

// A number as the report wrote it: "73" is the integer 73, "73.0" and "88.9" are floats
// (their written decimals are in `decimals`), so a count reads as a count.
json written_number(const Value& v) {
    bool whole = v.decimals == 0 && std::isfinite(v.number) && v.number == std::floor(v.number) &&
                 std::fabs(v.number) <= kLargestExactWhole;
    if (whole) return static_cast<std::int64_t>(v.number);
    return v.number;
}

json value_json(const Value& v, json number) {
    json j = json::object();
    if (v.has_number()) {
        j["number"] = std::move(number);
        j["decimals"] = v.decimals;
        if (v.sign_written) j["signed"] = true;
        if (v.approximate) j["approximate"] = true;
        if (!v.unit.empty()) j["unit"] = v.unit;
    } else {
        j["missing"] = std::string(to_string(v.missing));
    }
    return j;
}

json explain_value_to_json(const Value& v) { return value_json(v, written_number(v)); }

json text_or_null(const std::string& s) { return s.empty() ? json() : json(s); }

}  // namespace

// The findings JSON writes `number` as a float always (docs/findings.md).
json value_to_json(const Value& v) { return value_json(v, v.number); }

namespace {

json date_to_json(const Date& d) {
    return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

json section_to_json(const Section& s) {
    json j;
    j["title"] = s.title;
    j["level"] = s.level;
    j["canonical"] = text_or_null(s.canonical);
    j["template_number"] = s.canonical.empty() ? json() : json(s.template_number);
    j["lines"] = json::array({s.first_line, s.last_line});
    j["text_chars"] = char_count(s.text);
    json children = json::array();
    for (const auto& c : s.children) children.push_back(section_to_json(c));
    j["children"] = std::move(children);
    return j;
}

json table_to_json(const BoundTable& t) {
    json j;
    j["id"] = t.id;
    j["found"] = t.found;
    j["pos"] = known_pos_to_json(t.pos);
    json rows = json::array();
    for (std::size_t r = 0; r < t.cells.size(); ++r) {
        json row;
        row["row"] = t.schema->rows[r].id;
        json cells = json::array();
        for (const auto& cell : t.cells[r]) {
            if (!cell) continue;
            json c;
            c["column"] = cell->column;
            c["value"] = explain_value_to_json(cell->value);
            c["text"] = cell->text;
            if (cell->blank_read_as_zero) c["blank_read_as_zero"] = true;
            c["pos"] = known_pos_to_json(cell->pos);
            c["row_binding"] = std::string(to_string(cell->row_binding));
            c["column_binding"] = std::string(to_string(cell->column_binding));
            cells.push_back(std::move(c));
        }
        row["cells"] = std::move(cells);
        rows.push_back(std::move(row));
    }
    j["rows"] = std::move(rows);
    j["notes"] = t.notes;
    return j;
}

json figure_to_json(const Figure& f) {
    json j;
    j["text"] = f.text;
    j["value"] = explain_value_to_json(f.value);
    j["context"] = f.context;
    j["after"] = f.after;
    j["year"] = f.year != 0 ? json(f.year) : json(nullptr);
    j["pos"] = pos_to_json(f.pos);
    return j;
}

}  // namespace

json model_to_json(const ReportModel& model) {
    const Metadata& m = model.metadata;
    json j;
    j["file"] = model.document.path;
    j["format"] = model.document.format;
    j["encoding"] = model.document.encoding;
    if (!model.document.warnings.empty()) j["reader_warnings"] = model.document.warnings;
    json meta;
    meta["title"] = m.title;
    meta["agency"] = m.agency;
    meta["year"] = m.year;
    meta["year_reason"] = m.year_reason;
    json period;
    period["found"] = m.period.found;
    period["parsed"] = m.period.parsed;
    period["text"] = m.period.found ? json(m.period.text) : json();
    period["pos"] = m.period.found ? known_pos_to_json(m.period.pos) : json();
    if (m.period.parsed) {
        period["start"] = date_to_json(m.period.start);
        period["end"] = date_to_json(m.period.end);
    }
    meta["period"] = std::move(period);
    meta["published"] = m.published ? date_to_json(*m.published) : json();
    meta["template"] = text_or_null(m.detected.template_id);
    meta["template_reason"] = m.detected.reason;
    meta["shape_template"] = text_or_null(m.detected.shape_template_id);
    meta["shape_reason"] = m.detected.shape_reason;
    j["metadata"] = std::move(meta);
    json sections = json::array();
    for (const auto& s : model.sections) sections.push_back(section_to_json(s));
    j["sections"] = std::move(sections);
    json tables = json::array();
    for (const auto& t : model.tables) tables.push_back(table_to_json(t));
    j["tables"] = std::move(tables);
    json figures = json::array();
    for (const auto& f : model.figures) figures.push_back(figure_to_json(f));
    j["figures"] = std::move(figures);
    json lists = json::array();
    for (const auto& l : model.lists) {
        json lj;
        lj["text"] = l.text;
        lj["pos"] = pos_to_json(l.pos);
        lj["total"] = l.total ? json(*l.total) : json();
        lj["other_totals"] = l.other_totals;
        json parts = json::array();
        for (const auto& p : l.parts) {
            json pj;
            pj["label"] = p.label;
            pj["count"] = p.count;
            pj["percent"] = p.percent ? json(*p.percent) : json();
            parts.push_back(std::move(pj));
        }
        lj["parts"] = std::move(parts);
        lj["partial"] = l.partial;
        lists.push_back(std::move(lj));
    }
    j["lists"] = std::move(lists);
    return j;
}

namespace {

void section_text(const Section& s, int depth, std::string& out) {
    out += fmt::format("{:>6}-{:<6} {}{}", s.first_line, s.last_line, std::string(static_cast<std::size_t>(depth) * 2, ' '),
                       s.title);
    if (!s.canonical.empty()) out += fmt::format("   ⇒ 第{}部分 {}", s.template_number, s.canonical);
    if (!s.matched_keyword.empty()) out += fmt::format(" (by its number and the keyword {})", s.matched_keyword);
    if (s.level == 1 && trim(s.text).empty() && s.tables == 0) out += "   (empty)";
    out += '\n';
    for (const auto& c : s.children) section_text(c, depth + 1, out);
}

std::string cell_text(const BoundCell& c) {
    std::string v = c.value.has_number() ? format_number(c.value.number, c.value.decimals) + c.value.unit
                                          : "∅" + std::string(to_string(c.value.missing));
    if (c.blank_read_as_zero) v += "(blank)";
    auto letter = [](BindingMethod m) { return m == BindingMethod::Label ? 'L' : m == BindingMethod::Position ? 'P' : '!'; };
    std::string how{letter(c.row_binding), letter(c.column_binding)};
    return c.pos.known() ? fmt::format("{}@{}:{}:{}", v, c.pos.line, c.pos.column, how) : fmt::format("{}:{}", v, how);
}

}  // namespace

std::string explain_text(const ReportModel& model) {
    const Metadata& m = model.metadata;
    std::string out;
    out += fmt::format("file      {}\nformat    {}{}\n", model.document.path, model.document.format,
                       model.document.encoding.empty() ? "" : " (" + model.document.encoding + ")");
    for (const auto& w : model.document.warnings) out += "warning   " + w + "\n";
    out += fmt::format("title     {}\nagency    {}\nyear      {}{}\n", m.title, m.agency, m.year == 0 ? std::string("unknown") : std::to_string(m.year),
                       m.year_reason.empty() ? "" : "   (" + m.year_reason + ")");
    if (!m.period.found) out += "period    not found\n";
    else if (m.period.parsed)
        out += fmt::format("period    {:04}-{:02}-{:02} – {:04}-{:02}-{:02}   (line {}: {})\n", m.period.start.year,
                           m.period.start.month, m.period.start.day, m.period.end.year, m.period.end.month,
                           m.period.end.day, m.period.pos.line, m.period.text);
    else out += fmt::format("period    unparseable   (line {}: {})\n", m.period.pos.line, m.period.text);
    if (m.published)
        out += fmt::format("published {:04}-{:02}-{:02}   (line {})\n", m.published->year, m.published->month, m.published->day,
                           m.published_pos.line);
    out += fmt::format("template  {}   ({})\n", m.detected.template_id.empty() ? "none" : m.detected.template_id,
                       m.detected.reason);
    out += fmt::format("shape     {}   ({})\n", m.detected.shape_template_id.empty() ? "none" : m.detected.shape_template_id,
                       m.detected.shape_reason);

    out += "\nsections (lines, title ⇒ template section)\n";
    for (const auto& s : model.sections) section_text(s, 0, out);

    for (const auto& t : model.tables) {
        out += fmt::format("\n{}{}\n", t.id, t.found ? fmt::format("   (from line {})", t.pos.line) : "   NOT FOUND");
        if (!t.found) continue;
        out += "  cell = value@line:column:<row binding><column binding>  (L label, P position, ! missing)\n";
        std::size_t current_block = static_cast<std::size_t>(-1);
        for (std::size_t r = 0; r < t.cells.size(); ++r) {
            const RowSchema& row = t.schema->rows[r];
            if (t.schema->blocks.size() > 1 && row.block != current_block) {
                current_block = row.block;
                out += fmt::format("  [{}]\n", t.schema->blocks[row.block].id);
            }
            std::string line = fmt::format("  {:<14}", row.id);
            for (std::size_t c = 0; c < t.cells[r].size(); ++c) {
                const auto& cell = t.cells[r][c];
                if (!cell) continue;
                line += fmt::format(" {}={}", cell->column, cell_text(*cell));
            }
            out += line + '\n';
        }
        for (const auto& n : t.notes) out += "  note: " + n + '\n';
    }

    out += fmt::format("\nnarrative figures: {}\n", model.figures.size());
    for (const auto& f : model.figures)
        out += fmt::format("  {:>5}:{:<4} {:<14} {}{}{}{}\n", f.pos.line, f.pos.column, f.text, f.context,
                           f.after.empty() ? "" : "  after: ", f.after,
                           f.year != 0 ? fmt::format("  year: {}", f.year) : std::string());
    out += fmt::format("\nlists: {}\n", model.lists.size());
    for (const auto& l : model.lists) {
        out += fmt::format("  line {}{}: ", l.pos.line, l.partial ? " (partial)" : "");
        if (l.total) {
            out += fmt::format("total {}", model.figures[*l.total].text);
            // A 其中's other totals mostly come before it in its sentence; a total
            // inferred from the sentence before the list has that sentence's other
            // counts on either side; a 其中 opening a sentence may break down what the
            // list before it did.
            const Figure& total = model.figures[*l.total];
            auto earlier_in_sentence = [&](std::size_t t) {
                return t < *l.total && model.figures[t].sentence == total.sentence;
            };
            auto in_sentence = [&](std::size_t t) { return model.figures[t].sentence == total.sentence; };
            const char* which = std::all_of(l.other_totals.begin(), l.other_totals.end(), earlier_in_sentence)
                                    ? " (or earlier in its sentence: "
                                : std::all_of(l.other_totals.begin(), l.other_totals.end(), in_sentence)
                                    ? " (or another count of its sentence: "
                                    : " (or a count it may break down: ";
            for (std::size_t i = 0; i < l.other_totals.size(); ++i)
                out += fmt::format("{}{}", i > 0 ? ", " : which, model.figures[l.other_totals[i]].text);
            out += l.other_totals.empty() ? " = " : ") = ";
        }
        bool first = true;
        for (const auto& p : l.parts) {
            out += fmt::format("{}{} {}", first ? "" : " + ", p.label, model.figures[p.count].text);
            // A part of a list of shares alone is its share (count == percent): said once.
            if (p.percent && *p.percent != p.count) out += fmt::format(" ({})", model.figures[*p.percent].text);
            first = false;
        }
        out += '\n';
    }
    return out;
}

}  // namespace gouji
