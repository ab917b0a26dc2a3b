// Metadata stage: title, issuing agency, report year, statistics period and
// publication date, read from the document's opening and its period sentence.
#pragma once

#include "gouji/document.hpp"
#include "gouji/report_model.hpp"
#include "gouji/template_schema.hpp"

namespace gouji {

// `words`: the catalog's (`metadata:` in templates.yaml).
Metadata read_metadata(const Document& doc, const MetadataWords& words);

// "2020", "二〇二〇", "２０２０" at the start of `text` → 2020; 0 when not a year.
int leading_year(std::u32string_view text, std::size_t* length = nullptr);

}  // namespace gouji
