// Hand-built template schemas and report models for the rule-language tests:
// no reader or model builder involved, every value known.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "gouji/report_model.hpp"
#include "gouji/rules.hpp"
#include "gouji/template_schema.hpp"
#include "gouji/value.hpp"

namespace gouji::fixture {

inline NamedLabel named(std::string id, std::string label = {}, std::vector<std::string> aliases = {}) {
    NamedLabel n;
    n.id = std::move(id);
    n.label = label.empty() ? n.id : std::move(label);
    n.aliases = std::move(aliases);
    return n;
}

template <typename T>
T as(NamedLabel n) {
    T t;
    static_cast<NamedLabel&>(t) = std::move(n);
    return t;
}

inline RowSchema row(std::string id, std::string label, std::string group = {}, std::vector<std::string> aliases = {}) {
    RowSchema r = as<RowSchema>(named(std::move(id), std::move(label), std::move(aliases)));
    r.group = std::move(group);
    return r;
}

// 表三 of the 60号 (2019) or 30号 (2021) template, with some of its item rows.
inline TableSchema table3(bool from_2021) {
    TableSchema t = as<TableSchema>(named("表三", "收到和处理政府信息公开申请情况"));
    t.section = "依申请公开";
    for (const char* c : {"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"})
        t.columns.push_back(as<ColumnSchema>(named(c)));
    t.columns.push_back(as<ColumnSchema>(named("总计", "总计", {"合计"})));
    t.rows = {
        row("本年新收", "一、本年新收政府信息公开申请数量"),
        row("上年结转", "二、上年结转政府信息公开申请数量"),
        row("予以公开", "（一）予以公开", "本年度办理结果"),
        row("部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "本年度办理结果"),
        row("国家秘密", "1.属于国家秘密", "不予公开"),
        row("第三方权益", "4.保护第三方合法权益", "不予公开"),
        row("不掌握", "1.本机关不掌握相关政府信息", "无法提供"),
    };
    if (from_2021) {
        t.rows.push_back(row("逾期不补正", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "其他处理"));
        t.rows.push_back(row("其他处理其他", "3.其他", "其他处理"));
    } else {
        t.rows.push_back(row("其他处理", "（六）其他处理", "本年度办理结果"));
    }
    t.rows.push_back(row("总计", "（七）总计", "本年度办理结果"));
    t.rows.push_back(row("结转下年度继续办理", "四、结转下年度继续办理", "", {"结转下年度"}));
    t.groups = {named("本年度办理结果", "三、本年度办理结果"), named("不予公开", "（三）不予公开"),
                named("无法提供", "（四）无法提供"), named("其他处理", "（六）其他处理")};
    return t;
}

// 表二 (2019) with two blocks, so that a column outside a row's block can be tested.
inline TableSchema table2() {
    TableSchema t = as<TableSchema>(named("表二", "主动公开政府信息情况"));
    t.section = "主动公开";
    for (const char* c : {"本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减", "处理决定数量"})
        t.columns.push_back(as<ColumnSchema>(named(c)));
    t.rows = {row("规章", "规章"), row("规范性文件", "规范性文件"), row("行政许可", "行政许可")};
    t.rows[2].block = 1;
    BlockSchema b1 = as<BlockSchema>(named("第二十条第（一）项"));
    b1.columns = {0, 1, 2};
    b1.rows = {0, 1};
    BlockSchema b5 = as<BlockSchema>(named("第二十条第（五）项"));
    b5.columns = {3, 4, 5};
    b5.rows = {2};
    t.blocks = {b1, b5};
    return t;
}

inline std::vector<SectionSchema> six_sections() {
    const char* ids[] = {"总体情况", "主动公开", "依申请公开", "复议诉讼", "问题改进", "其他事项"};
    const char* labels[] = {"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"};
    std::vector<SectionSchema> out;
    for (int i = 0; i < 6; ++i) {
        SectionSchema s = as<SectionSchema>(named(ids[i], labels[i]));
        s.number = i + 1;
        out.push_back(s);
    }
    out[3].aliases = {"行政复议及行政诉讼情况"};
    return out;
}

inline TemplateCatalog catalog() {
    TemplateCatalog c;
    TemplateSchema t2019;
    t2019.id = "gov-2019";
    t2019.title = "国办公开办函〔2019〕60号";
    t2019.first_year = 2019;
    t2019.last_year = 2020;
    t2019.sections = six_sections();
    t2019.tables = {table2(), table3(false)};
    TemplateSchema t2021;
    t2021.id = "gov-2021";
    t2021.title = "国办公开办函〔2021〕30号";
    t2021.first_year = 2021;
    t2021.sections = six_sections();
    t2021.tables = {table3(true)};
    c.templates = {t2019, t2021};
    return c;
}

// Builds a report model by hand. Cells get positions: row r on line 100 + r,
// column c at character 1 + 10·c.
class ModelBuilder {
public:
    ModelBuilder(const TemplateCatalog& catalog, const std::string& template_id, int year) {
        model_.document.path = "report.txt";
        model_.metadata.year = year;
        model_.metadata.detected.template_id = template_id;
        for (const auto& t : catalog.templates)
            if (t.id == template_id) model_.template_schema = &t;
    }

    // Rows as cell texts in column order; "" = blank, a missing trailing cell = absent.
    ModelBuilder& table(const std::string& id, const std::map<std::string, std::vector<std::string>>& rows) {
        const TableSchema* schema = nullptr;
        for (const auto& t : model_.template_schema->tables)
            if (t.id == id) schema = &t;
        BoundTable b;
        b.id = id;
        b.schema = schema;
        b.found = true;
        b.pos = {99, 1, 0};
        b.cells.resize(schema->rows.size(), std::vector<std::optional<BoundCell>>(schema->columns.size()));
        for (const auto& [row_id, texts] : rows) {
            std::size_t r = 0;
            while (schema->rows[r].id != row_id) ++r;
            for (std::size_t c = 0; c < texts.size(); ++c) {
                BoundCell cell;
                cell.row = row_id;
                cell.column = schema->columns[c].id;
                cell.text = texts[c];
                cell.value = parse_cell_value(texts[c]);
                cell.pos = {static_cast<std::uint32_t>(100 + r), static_cast<std::uint32_t>(1 + 10 * c), 0};
                b.cells[r][c] = cell;
            }
        }
        model_.tables.push_back(std::move(b));
        return *this;
    }

    ModelBuilder& section(const std::string& title, const std::string& canonical, int number, const std::string& text,
                          std::uint32_t first_line, std::uint32_t last_line) {
        Section s;
        s.title = title;
        s.canonical = canonical;
        s.template_number = number;
        s.text = text;
        s.first_line = first_line;
        s.last_line = last_line;
        s.pos = {first_line, 1, 0};
        model_.sections.push_back(std::move(s));
        return *this;
    }

    // A narrative figure in top-level section `section`; returns its index via `index`.
    ModelBuilder& figure(const std::string& text, const std::string& context, std::size_t section, std::uint32_t line,
                         std::size_t* index = nullptr) {
        Figure f;
        f.text = text;
        f.value = parse_cell_value(text);
        f.context = context;
        f.section = section;
        f.pos = {line, 5, 0};
        if (index) *index = model_.figures.size();
        model_.figures.push_back(std::move(f));
        return *this;
    }

    ModelBuilder& list(std::optional<std::size_t> total, std::vector<FigureList::Part> parts, bool partial,
                       const std::string& text) {
        FigureList l;
        l.total = total;
        l.parts = std::move(parts);
        l.partial = partial;
        l.text = text;
        model_.lists.push_back(std::move(l));
        return *this;
    }

    ReportModel& model() { return model_; }

private:
    ReportModel model_;
};

// 表三 of seed 002 (晋江市 2020): 本年新收 × 商业企业 written 0 where 9 is meant,
// and 结转下年度继续办理 lacks its 总计 cell.
inline std::map<std::string, std::vector<std::string>> seed002_table3() {
    return {
        {"本年新收", {"215", "0", "0", "1", "3", "3", "231"}},
        {"上年结转", {"0", "0", "0", "0", "0", "0", "0"}},
        {"予以公开", {"120", "5", "0", "1", "2", "1", "129"}},
        {"部分公开", {"30", "2", "0", "0", "0", "1", "33"}},
        {"国家秘密", {"0", "0", "0", "0", "0", "0", "0"}},
        {"第三方权益", {"5", "0", "0", "0", "0", "0", "5"}},
        {"不掌握", {"40", "1", "0", "0", "1", "1", "43"}},
        {"其他处理", {"20", "1", "0", "0", "0", "0", "21"}},
        {"总计", {"215", "9", "0", "1", "3", "3", "231"}},
        {"结转下年度继续办理", {"0", "0", "0", "0", "0", "0"}},
    };
}

// Compiles packs given as text; the diagnostics rendered into `errors`.
inline RuleSet compile_texts(const std::vector<PackText>& packs, const TemplateCatalog& catalog, std::string& errors) {
    std::vector<RuleDiagnostic> diagnostics;
    RuleSet set = compile_rule_packs(packs, catalog, diagnostics);
    errors = render(diagnostics);
    return set;
}

// A pack with the given `rules:` body (YAML, indented by two spaces).
inline std::string pack_with_rules(const std::string& rules, const std::string& header = "pack: test\n") {
    return header + "rules:\n" + rules;
}

}  // namespace gouji::fixture
