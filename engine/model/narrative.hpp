// Narrative stage: the numbers written in the prose of a report, and the lists
// they form ("总数为X条。其中：A条，占a%；B条，占b%…"). Internal to the model builder.
//
// What a Figure holds (see report_model.hpp for the struct):
//   value    number as written (万/亿 applied, except in the money units 万元/亿元),
//            its unit ("件", "条", "人次", "%", "万元"… or "" when none is written),
//            written decimals, `approximate` for 近/约/超过/多/余/以上…, and
//            `sign_written` for "+12"/"-17".
//   text     the figure as written, approximate markers and unit included: "2万多册".
//   context  the phrase the number qualifies, from the previous clause boundary (or the
//            previous figure) up to the number, with spaces, quotes, list numbering,
//            leading dates and fillers (其中, 共, 全年, 全市, 今年…) and trailing
//            verbs/markers (为, 达, 共计, 约…) removed. 累计/历年 are kept: they change
//            what is counted. A percentage that states the share of the count before
//            it ("当面申请8件，占88.9%") takes that count's context.
//   pos      where the figure's text starts; sentence: running index over the document
//            (split on 。！？ and at every block); section: index of the top-level
//            section whose lines contain it, or npos.
//
// Not figures: years and dates, document numbers (〔2019〕60号), ordinals (第三),
// list numbering ("1.", "（一）"), ranges, phone numbers, postcodes, URLs, e-mail,
// numbers inside book titles 《…》, and paragraphs that are flattened table cells.
//
// What a FigureList holds: `total` when the text states one (before the parts through
// 其中 / "X件中" / "在X件…中", after them through 共计/合计, or — for a list that
// opens its sentence without one — the nearest "共…X件" figure of the same unit in the
// same or previous sentence of the paragraph, or the figure whose context names the
// "已答复中" anchor); parts of the total's unit in order, each with its "占a%" when
// written; `partial` when the text says the list is not exhaustive (主要有/主要包括/
// 主要为…, "等" after the last part, 包括…在内) and the last part is not an "其他…"
// catch-all. A list has at least two parts.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "gouji/document.hpp"
#include "gouji/report_model.hpp"

namespace gouji {

// Appends the figures of every Paragraph/Heading block of `doc` to `figures` and the
// lists they form to `lists` (list indices point into `figures`). `sections` are the
// top-level sections with their line ranges; figures outside all get section = npos.
void extract_narrative(const Document& doc, const std::vector<Section>& sections,
                       std::vector<Figure>& figures, std::vector<FigureList>& lists);

// A count spelled in Chinese numerals ("六", "二十", "一百零五", "两千", "三万"), parsed
// with ICU's zh spell-out rules (cardinal rule sets only, so "一二" is not 12); falls
// back to chinese_numeral_value. nullopt when the whole text is not one number.
std::optional<long long> parse_chinese_count(std::u32string_view text);

// A year written digit by digit ("二〇二〇", "二零一九") or spelled ("二千〇二十"),
// as in "二〇二〇年度". nullopt unless the whole text is a year between 1900 and 2199.
std::optional<int> parse_chinese_year(std::u32string_view text);

}  // namespace gouji
