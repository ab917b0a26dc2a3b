// Binding stage: finds a template table in a document and binds every value to
// the template's named row and column, recording how (label or position).
#pragma once

#include <vector>

#include "gouji/document.hpp"
#include "gouji/report_model.hpp"
#include "gouji/template_schema.hpp"

namespace gouji {

// Binds `schema` using the document blocks [first_block, end_block) (the table's
// section; pass 0 and doc.blocks.size() for the whole document).
// Works the same for real grids (HTML, DOCX, Markdown) and flattened text where
// every cell is its own line: both become a stream of labels and values.
BoundTable bind_table(const Document& doc, const TableSchema& schema, std::size_t first_block,
                      std::size_t end_block);

}  // namespace gouji
