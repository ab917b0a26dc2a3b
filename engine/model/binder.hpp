// Binding stage: finds a template table in a document and binds every value to
// the template's named row and column, recording how (label or position).
#pragma once

#include <memory>
#include <vector>

#include "gouji/document.hpp"
#include "gouji/report_model.hpp"
#include "gouji/template_schema.hpp"

namespace gouji {

// A document cut into labels and values once, shared by every table and every
// template the builder tries (tokenizing is most of binding's cost).
class DocumentTokens {
public:
    // `words` (the catalog's) outlive the tokens: a cell's text is read with them again
    // where the binder places a label token in a cell.
    explicit DocumentTokens(const Document& doc, const NumberWords& words = NumberWords::standard());
    ~DocumentTokens();
    DocumentTokens(const DocumentTokens&) = delete;
    DocumentTokens& operator=(const DocumentTokens&) = delete;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

BoundTable bind_table(const DocumentTokens& tokens, const TableSchema& schema, std::size_t first_block,
                      std::size_t end_block);

// Binds `schema` using the document blocks [first_block, end_block) (the table's
// section; pass 0 and doc.blocks.size() for the whole document).
// Works the same for real grids (HTML, DOCX, Markdown) and flattened text where
// every cell is its own line: both become a stream of labels and values.
BoundTable bind_table(const Document& doc, const TableSchema& schema, std::size_t first_block,
                      std::size_t end_block);

}  // namespace gouji
