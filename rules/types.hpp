// Static types of the rule language, as the checker infers them. A table, row or
// column type remembers which table it belongs to (and a row type the row name
// when it was written literally) so names can be checked against each template.
#pragma once

#include <memory>
#include <string>

namespace gouji::types {

enum class Kind {
    Any,  // not known statically (list literal of mixed types, …): checked at run time
    Bool,
    Number,
    String,
    List,
    Table,
    Row,
    Column,
    Section,
    Figure,      // a narrative figure; usable wherever a number is
    FigureList,  // a narrative list "总数X，其中A…B…"
    Part,        // one item of a narrative list
    Period,      // the statistics period
    Date,
};

struct Type {
    Kind kind = Kind::Any;
    std::string table;                     // Table/Row/Column: the table's id
    std::string row;                       // Row: its name as written, when literal
    std::shared_ptr<const Type> element;   // List: element type (null = Any)

    static Type of(Kind k) { return Type{k, {}, {}, {}}; }
    static Type list_of(Type element) { return Type{Kind::List, {}, {}, std::make_shared<const Type>(std::move(element))}; }
    static Type table_type(Kind k, std::string table, std::string row = {}) {
        return Type{k, std::move(table), std::move(row), {}};
    }
    Type element_type() const { return element ? *element : Type{}; }
};

inline bool is_any(const Type& t) { return t.kind == Kind::Any; }
// Usable in arithmetic: numbers, table cells, narrative figures.
inline bool is_numeric(const Type& t) { return t.kind == Kind::Number || t.kind == Kind::Figure || is_any(t); }
inline bool is_condition(const Type& t) { return t.kind == Kind::Bool || is_any(t); }
inline bool is_text(const Type& t) { return t.kind == Kind::String || is_any(t); }
inline bool is_list(const Type& t) { return t.kind == Kind::List || is_any(t); }

// "number", "list of rows of 表三", … for messages.
std::string describe(const Type& t);

}  // namespace gouji::types
