// Loads template schemas from YAML. Every structural mistake is reported at the
// YAML position that causes it, so a rule author can fix the pack without reading C++.
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>

#include "gouji/template_schema.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

SourcePos pos_of_mark(const YAML::Mark& mark) {
    if (mark.line < 0) return {};
    return SourcePos{static_cast<std::uint32_t>(mark.line + 1), static_cast<std::uint32_t>(mark.column + 1), 0};
}

SourcePos pos_of(const YAML::Node& node) { return pos_of_mark(node.Mark()); }

class SchemaReader {
public:
    explicit SchemaReader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const YAML::Node& at, const std::string& message, const std::string& hint = {}) const {
        throw InputError(file_, pos_of(at), message, hint);
    }

    std::string scalar(const YAML::Node& node, const char* key, bool required) const {
        const YAML::Node value = node[key];
        if (!value) {
            if (required) fail(node, std::string("missing key '") + key + "'");
            return {};
        }
        if (!value.IsScalar()) fail(value, std::string("'") + key + "' must be a single value");
        return value.as<std::string>();
    }

    void read_label(const YAML::Node& node, NamedLabel& out) const {
        if (node.IsScalar()) {
            out.id = node.as<std::string>();
        } else if (node.IsMap()) {
            out.id = scalar(node, "id", true);
            out.label = scalar(node, "label", false);
            if (const YAML::Node aliases = node["aliases"]) {
                if (!aliases.IsSequence()) fail(aliases, "'aliases' must be a list");
                for (const auto& alias : aliases) out.aliases.push_back(alias.as<std::string>());
            }
        } else {
            fail(node, "expected a name or a map with 'id'");
        }
        if (out.id.empty()) fail(node, "empty id");
        // Where the template prints the id itself ("规章"), the id is the label.
        if (out.label.empty()) out.label = out.id;
        out.pos = pos_of(node);
        for (const std::string* form : {&out.id, &out.label}) {
            std::string n = normalize_label(*form);
            if (!n.empty()) out.normalized.push_back(std::move(n));
        }
        for (const auto& alias : out.aliases) {
            std::string n = normalize_label(alias);
            if (!n.empty()) out.normalized.push_back(std::move(n));
        }
    }

    std::size_t column_ref(const YAML::Node& ref, const TableSchema& table) const {
        const std::string id = ref.as<std::string>();
        if (auto index = table.column_index(id)) return *index;
        fail(ref, "unknown column '" + id + "' in table " + table.id, "declare it under the table's 'columns'");
    }

    TableSchema read_table(const YAML::Node& node) const {
        if (!node.IsMap()) fail(node, "a table must be a map with 'id', 'columns' and 'rows' or 'blocks'");
        TableSchema table;
        read_label(node, table);
        table.section = scalar(node, "section", false);
        const std::string layout = scalar(node, "layout", false);
        if (layout == "flat") table.layout = TableLayout::Flat;
        else if (!layout.empty() && layout != "grid") fail(node["layout"], "layout must be 'grid' or 'flat'");
        if (const YAML::Node anchors = node["anchors"])
            for (const auto& a : anchors) table.anchors.push_back(a.as<std::string>());
        const YAML::Node columns = node["columns"];
        if (!columns || !columns.IsSequence() || columns.size() == 0) fail(node, "table " + table.id + " needs a list of 'columns'");
        for (const auto& c : columns) {
            ColumnSchema column;
            read_label(c, column);
            if (c.IsMap()) column.unit = scalar(c, "unit", false);
            if (table.column_index(column.id)) fail(c, "duplicate column '" + column.id + "'");
            table.columns.push_back(std::move(column));
        }
        if (const YAML::Node groups = node["groups"])
            for (const auto& g : groups) {
                NamedLabel group;
                read_label(g, group);
                table.groups.push_back(std::move(group));
            }
        if (const YAML::Node blocks = node["blocks"]) {
            for (const auto& b : blocks) {
                BlockSchema block;
                read_label(b, block);
                for (const auto& ref : b["columns"]) block.columns.push_back(column_ref(ref, table));
                if (const YAML::Node variants = b["variants"])
                    for (const auto& variant : variants) {
                        std::vector<std::size_t> cols;
                        for (const auto& ref : variant) cols.push_back(column_ref(ref, table));
                        block.variants.push_back(std::move(cols));
                    }
                if (block.columns.empty()) fail(b, "block " + block.id + " needs 'columns'");
                std::size_t block_index = table.blocks.size();
                for (const auto& r : b["rows"]) block.rows.push_back(add_row(r, table, block_index));
                table.blocks.push_back(std::move(block));
            }
        } else {
            BlockSchema whole;
            whole.id = table.id;
            for (std::size_t c = 0; c < table.columns.size(); ++c) whole.columns.push_back(c);
            const YAML::Node rows = node["rows"];
            if (!rows || !rows.IsSequence() || rows.size() == 0) fail(node, "table " + table.id + " needs 'rows' or 'blocks'");
            for (const auto& r : rows) whole.rows.push_back(add_row(r, table, 0));
            table.blocks.push_back(std::move(whole));
        }
        return table;
    }

    std::size_t add_row(const YAML::Node& r, TableSchema& table, std::size_t block) const {
        RowSchema row;
        read_label(r, row);
        if (r.IsMap()) row.group = scalar(r, "group", false);
        row.block = block;
        if (table.row_index(row.id)) fail(r, "duplicate row '" + row.id + "' in table " + table.id);
        if (!row.group.empty()) {
            bool known = false;
            for (const auto& g : table.groups) known = known || g.id == row.group;
            if (!known) fail(r["group"], "unknown group '" + row.group + "'", "declare it under the table's 'groups'");
        }
        table.rows.push_back(std::move(row));
        return table.rows.size() - 1;
    }

    TemplateSchema read_template(const YAML::Node& node) const {
        if (!node.IsMap()) fail(node, "a template must be a map");
        TemplateSchema t;
        t.id = scalar(node, "id", true);
        t.title = scalar(node, "title", false);
        t.file = file_;
        if (const YAML::Node years = node["years"]) {
            if (years["from"]) t.first_year = years["from"].as<int>();
            if (years["to"]) t.last_year = years["to"].as<int>();
        } else {
            fail(node, "template " + t.id + " needs 'years' ({from: YEAR, to: YEAR})");
        }
        const YAML::Node sections = node["sections"];
        if (!sections || !sections.IsSequence()) fail(node, "template " + t.id + " needs a list of 'sections'");
        for (const auto& s : sections) {
            SectionSchema section;
            read_label(s, section);
            section.number = s["number"] ? s["number"].as<int>() : static_cast<int>(t.sections.size()) + 1;
            t.sections.push_back(std::move(section));
        }
        if (const YAML::Node tables = node["tables"])
            for (const auto& tn : tables) t.tables.push_back(read_table(tn));
        return t;
    }

private:
    std::string file_;
};

}  // namespace

std::optional<std::size_t> TableSchema::row_index(std::string_view wanted) const {
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].id == wanted) return i;
    return std::nullopt;
}

std::optional<std::size_t> TableSchema::column_index(std::string_view wanted) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].id == wanted) return i;
    return std::nullopt;
}

const TableSchema* TemplateSchema::table(std::string_view table_id) const {
    for (const auto& t : tables)
        if (t.id == table_id) return &t;
    return nullptr;
}

const TemplateSchema* TemplateCatalog::find(std::string_view id) const {
    for (const auto& t : templates)
        if (t.id == id) return &t;
    return nullptr;
}

void load_templates_into(TemplateCatalog& catalog, const std::string& yaml_path) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(yaml_path);
    } catch (const YAML::BadFile&) {
        throw InputError(yaml_path, {}, "cannot open template file", "check the path");
    } catch (const YAML::ParserException& e) {
        throw InputError(yaml_path, pos_of_mark(e.mark), e.msg, "fix the YAML syntax");
    }
    SchemaReader reader(yaml_path);
    const YAML::Node templates = root["templates"];
    if (!templates || !templates.IsSequence()) reader.fail(root, "no 'templates:' list in this file");
    try {
        for (const auto& node : templates) {
            TemplateSchema t = reader.read_template(node);
            bool replaced = false;
            for (auto& existing : catalog.templates)
                if (existing.id == t.id) {
                    existing = std::move(t);
                    replaced = true;
                    break;
                }
            if (!replaced) catalog.templates.push_back(std::move(t));
        }
    } catch (const YAML::RepresentationException& e) {
        throw InputError(yaml_path, pos_of_mark(e.mark), e.msg, "check the value's type");
    }
}

TemplateCatalog load_templates(const std::string& yaml_path) {
    TemplateCatalog catalog;
    load_templates_into(catalog, yaml_path);
    return catalog;
}

std::string default_rulepack_dir() {
    if (const char* env = std::getenv("GOUJI_RULEPACKS"); env && *env) return env;
    return std::string(GOUJI_SOURCE_DIR) + "/rulepacks";
}

}  // namespace gouji
