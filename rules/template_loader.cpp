// Loads template schemas from YAML. Every structural mistake is reported at the
// YAML position that causes it, so a rule author can fix the pack without reading C++.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>

#include "gouji/template_schema.hpp"
#include "gouji/text.hpp"
#include "rules/names.hpp"
#include "rules/yaml_tree.hpp"

namespace gouji {

namespace {

using rules::YamlDocument;
using rules::YamlNode;

class SchemaReader {
public:
    explicit SchemaReader(const SourceText& source) : source_(source) {}

    SourcePos pos_of(const YamlNode& node) const { return source_.position_of(node.start()); }

    [[noreturn]] void fail(const YamlNode& at, const std::string& message, const std::string& hint = {}) const {
        throw InputError(source_.name(), pos_of(at), message, hint);
    }

    // A scalar's text; a list or a map where a value belongs is an error.
    std::string text_of(const YamlNode& node) const {
        if (node.is_sequence() || node.is_mapping()) fail(node, "expected a single value, not a list or a map", "check the value's type");
        return std::string(node.scalar());
    }

    int number_of(const YamlNode& node) const {
        std::string_view v = node.scalar();
        int n = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (!node.is_scalar() || ec != std::errc() || end != v.data() + v.size())
            fail(node, "expected a whole number", "check the value's type");
        return n;
    }

    // A misspelt key (`alias:` for `aliases:`) would silently drop what it holds
    // and change how reports bind: every key of a schema map must be one we read.
    void expect_keys(const YamlNode& map, const std::vector<std::string>& allowed, const std::string& what) const {
        if (!map.is_mapping()) return;
        for (const auto& kv : map.entries()) {
            const std::string key(kv.key.scalar());
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
                fail(kv.key, "unknown key '" + key + "' in " + what + names::did_you_mean(key, allowed),
                     "the keys here are " + joined(allowed));
        }
    }

    static std::string joined(const std::vector<std::string>& words) {
        std::string out;
        for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
        return out;
    }

    // `agencies:`, optional: how reports of one agency are told across years.
    void read_agencies(const YamlNode& node, TemplateCatalog& catalog) const {
        if (!node) return;
        if (!node.is_mapping()) fail(node, "expected a map with 'same-without-suffix'");
        expect_keys(node, {"same-without-suffix"}, "agencies");
        if (const YamlNode suffixes = node["same-without-suffix"]) {
            if (!suffixes.is_sequence()) fail(suffixes, "expected a list of words", "write [人民政府]");
            for (const auto& s : suffixes.items()) catalog.agency_suffixes.push_back(text_of(s));
        }
    }

    std::string scalar(const YamlNode& node, const char* key, bool required) const {
        const YamlNode value = node[key];
        if (!value) {
            if (required) fail(node, std::string("missing key '") + key + "'");
            return {};
        }
        if (!value.is_scalar()) fail(value, std::string("'") + key + "' must be a single value");
        return text_of(value);
    }

    void read_label(const YamlNode& node, NamedLabel& out) const {
        if (node.is_scalar()) {
            out.id = text_of(node);
        } else if (node.is_mapping()) {
            out.id = scalar(node, "id", true);
            out.label = scalar(node, "label", false);
            if (const YamlNode aliases = node["aliases"]) {
                if (!aliases.is_sequence()) fail(aliases, "'aliases' must be a list");
                for (const auto& alias : aliases.items()) out.aliases.push_back(text_of(alias));
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
        for (const auto& n : out.normalized) out.signatures.push_back(char_signature(n));
    }

    std::size_t column_ref(const YamlNode& ref, const TableSchema& table) const {
        const std::string id = text_of(ref);
        if (auto index = table.column_index(id)) return *index;
        fail(ref, "unknown column '" + id + "' in table " + table.id, "declare it under the table's 'columns'");
    }

    TableSchema read_table(const YamlNode& node) const {
        if (!node.is_mapping()) fail(node, "a table must be a map with 'id', 'columns' and 'rows' or 'blocks'");
        expect_keys(node, {"id", "label", "aliases", "section", "layout", "anchors", "columns", "column-groups", "groups",
                           "blocks", "rows"},
                    "a table");
        TableSchema table;
        read_label(node, table);
        table.section = scalar(node, "section", false);
        const std::string layout = scalar(node, "layout", false);
        if (layout == "flat") table.layout = TableLayout::Flat;
        else if (!layout.empty() && layout != "grid") fail(node["layout"], "layout must be 'grid' or 'flat'");
        if (const YamlNode anchors = node["anchors"])
            for (const auto& a : anchors.items()) table.anchors.push_back(text_of(a));
        const YamlNode columns = node["columns"];
        if (!columns || !columns.is_sequence() || columns.size() == 0) fail(node, "table " + table.id + " needs a list of 'columns'");
        for (const auto& c : columns.items()) {
            ColumnSchema column;
            expect_keys(c, {"id", "label", "aliases", "unit"}, "a column");
            read_label(c, column);
            if (c.is_mapping()) column.unit = scalar(c, "unit", false);
            if (table.column_index(column.id)) fail(c, "duplicate column '" + column.id + "'");
            table.columns.push_back(std::move(column));
        }
        if (const YamlNode groups = node["column-groups"])
            for (const auto& g : groups.items()) {
                NamedLabel group;
                expect_keys(g, {"id", "label", "aliases"}, "a column group");
                read_label(g, group);
                table.column_groups.push_back(std::move(group));
            }
        if (const YamlNode groups = node["groups"])
            for (const auto& g : groups.items()) {
                NamedLabel group;
                expect_keys(g, {"id", "label", "aliases"}, "a row group");
                read_label(g, group);
                table.groups.push_back(std::move(group));
            }
        if (const YamlNode blocks = node["blocks"]) {
            for (const auto& b : blocks.items()) {
                BlockSchema block;
                expect_keys(b, {"id", "label", "aliases", "columns", "variants", "rows"}, "a block");
                read_label(b, block);
                for (const auto& ref : b["columns"].items()) block.columns.push_back(column_ref(ref, table));
                if (const YamlNode variants = b["variants"])
                    for (const auto& variant : variants.items()) {
                        std::vector<std::size_t> cols;
                        for (const auto& ref : variant.items()) cols.push_back(column_ref(ref, table));
                        block.variants.push_back(std::move(cols));
                    }
                if (block.columns.empty()) fail(b, "block " + block.id + " needs 'columns'");
                std::size_t block_index = table.blocks.size();
                for (const auto& r : b["rows"].items()) block.rows.push_back(add_row(r, table, block_index));
                table.blocks.push_back(std::move(block));
            }
        } else {
            BlockSchema whole;
            whole.id = table.id;
            for (std::size_t c = 0; c < table.columns.size(); ++c) whole.columns.push_back(c);
            const YamlNode rows = node["rows"];
            if (!rows || !rows.is_sequence() || rows.size() == 0) fail(node, "table " + table.id + " needs 'rows' or 'blocks'");
            for (const auto& r : rows.items()) whole.rows.push_back(add_row(r, table, 0));
            table.blocks.push_back(std::move(whole));
        }
        return table;
    }

    std::size_t add_row(const YamlNode& r, TableSchema& table, std::size_t block) const {
        RowSchema row;
        expect_keys(r, {"id", "label", "aliases", "group"}, "a row");
        read_label(r, row);
        if (r.is_mapping()) row.group = scalar(r, "group", false);
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

    TemplateSchema read_template(const YamlNode& node) const {
        if (!node.is_mapping()) fail(node, "a template must be a map");
        expect_keys(node, {"id", "title", "years", "sections", "tables"}, "a template");
        TemplateSchema t;
        t.id = scalar(node, "id", true);
        t.title = scalar(node, "title", false);
        t.file = source_.name();
        if (const YamlNode years = node["years"]) {
            expect_keys(years, {"from", "to"}, "'years'");
            if (years["from"]) t.first_year = number_of(years["from"]);
            if (years["to"]) t.last_year = number_of(years["to"]);
        } else {
            fail(node, "template " + t.id + " needs 'years' ({from: YEAR, to: YEAR})");
        }
        const YamlNode sections = node["sections"];
        if (!sections || !sections.is_sequence()) fail(node, "template " + t.id + " needs a list of 'sections'");
        for (const auto& s : sections.items()) {
            SectionSchema section;
            expect_keys(s, {"id", "label", "aliases", "number"}, "a section");
            read_label(s, section);
            section.number = s["number"] ? number_of(s["number"]) : static_cast<int>(t.sections.size()) + 1;
            t.sections.push_back(std::move(section));
        }
        if (const YamlNode tables = node["tables"])
            for (const auto& tn : tables.items()) t.tables.push_back(read_table(tn));
        return t;
    }

private:
    const SourceText& source_;
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
    std::error_code ec;
    if (std::filesystem::is_directory(yaml_path, ec))
        throw InputError(yaml_path, {}, "is a directory, not a template file",
                         "give the .yaml file itself, e.g. --templates " +
                             (std::filesystem::path(yaml_path) / "templates.yaml").string());
    bool too_large = false;
    std::optional<std::string> text = rules::read_yaml_file(yaml_path, &too_large);
    if (too_large)
        throw InputError(yaml_path, {}, "is larger than 16 MiB, so not a template file", "give the templates' .yaml file");
    if (!text) throw InputError(yaml_path, {}, "cannot open template file", "check the path");
    const SourceText source(yaml_path, std::move(*text));
    const YamlDocument yaml(source.text());
    if (const auto& e = yaml.error()) throw InputError(yaml_path, source.position_of(e->byte), e->describe(source), "fix the YAML syntax");
    SchemaReader reader(source);
    reader.read_agencies(yaml.root()["agencies"], catalog);
    const YamlNode templates = yaml.root()["templates"];
    if (!templates || !templates.is_sequence()) reader.fail(yaml.root(), "no 'templates:' list in this file");
    for (const auto& node : templates.items()) {
        TemplateSchema t = reader.read_template(node);
        for (auto& table : t.tables) table.name_index = std::make_shared<const names::NameIndex>(table);
        bool replaced = false;
        for (auto& existing : catalog.templates)
            if (existing.id == t.id) {
                existing = std::move(t);
                replaced = true;
                break;
            }
        if (!replaced) catalog.templates.push_back(std::move(t));
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
