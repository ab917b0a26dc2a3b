// Section stage: finds the template's top-level sections and the numbered
// headings under them. Internal to the model builder.
#pragma once

#include <vector>

#include "engine/model/heading.hpp"
#include "gouji/document.hpp"
#include "gouji/report_model.hpp"
#include "gouji/template_schema.hpp"

namespace gouji {

// Top-level sections are only headings whose title matches a section of `schema`
// (through its label and aliases, or numbered as a section not found yet, after the
// parts found, with one of its keywords: "五、问题与改进"); any other "X、…" line is a
// sub-heading or body text, so that "三、本年度办理结果" inside 表三 or "## 2. …"
// inside 一 never open a section.
std::vector<Section> find_sections(const Document& doc, const TemplateSchema& schema);
// The same with each block's heading shape computed beforehand (heading_shapes()),
// so trying several templates reads every line once. Without `with_text` the
// sections' `text` stays empty (judging a template needs only their spans).
std::vector<Section> find_sections(const Document& doc, const std::vector<HeadingShape>& headings,
                                   const TemplateSchema& schema, bool with_text = true);

// How many of `schema`'s sections the document has: lets the builder choose a
// template when the year is unknown.
int count_matching_sections(const Document& doc, const TemplateSchema& schema);

// The matched template section for a heading title, or nullptr.
const SectionSchema* match_section_title(std::string_view title, const TemplateSchema& schema);

}  // namespace gouji
