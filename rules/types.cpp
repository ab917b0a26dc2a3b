#include "rules/types.hpp"

namespace gouji::types {

namespace {

std::string plural(const Type& t) {
    std::string of_table = t.table.empty() ? "" : " of " + t.table;
    switch (t.kind) {
        case Kind::Bool: return "conditions";
        case Kind::Number: return "numbers";
        case Kind::String: return "texts";
        case Kind::List: return "lists";
        case Kind::Table: return "tables";
        case Kind::Row: return "rows" + of_table;
        case Kind::Column: return "columns" + of_table;
        case Kind::Section: return "sections";
        case Kind::Figure: return "narrative figures";
        case Kind::FigureList: return "narrative lists";
        case Kind::Part: return "parts of narrative lists";
        case Kind::Date: return "dates";
        default: return "values";
    }
}

}  // namespace

std::string describe(const Type& t) {
    std::string of_table = t.table.empty() ? "" : " of " + t.table;
    switch (t.kind) {
        case Kind::Any: return "a value of unknown type";
        case Kind::Bool: return "a condition";
        case Kind::Number: return "a number";
        case Kind::String: return "text";
        case Kind::List:
            if (!t.element || is_any(*t.element)) return "a list";
            return "a list of " + plural(*t.element);
        case Kind::Table: return "table " + t.table;
        case Kind::Row: return "a row" + of_table;
        case Kind::Column: return "a column" + of_table;
        case Kind::Section: return "a section";
        case Kind::Figure: return "a narrative figure";
        case Kind::FigureList: return "a narrative list";
        case Kind::Part: return "a part of a narrative list";
        case Kind::Period: return "the statistics period";
        case Kind::Date: return "a date";
    }
    return "a value";
}

}  // namespace gouji::types
