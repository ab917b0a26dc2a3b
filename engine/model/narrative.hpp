// Narrative stage: the numbers written in the prose of a report, and the lists
// they form ("总数为X条。其中：A条，占a%；B条，占b%…"). Internal to the model builder.
//
// What a Figure holds (see report_model.hpp for the struct):
//   value    number as written (万/亿 applied, except in the money units 万元/亿元),
//            its unit ("件", "条", "人次", "%", "万元"… or "" when none is written: a
//            bare number counts only between words and a clause end, "件数为8，"),
//            written decimals, `approximate` for 近/约/超过/突破/多/余/以上… and for
//            万/亿 figures written with fewer digits than the multiplier hides, and
//            `sign_written` for "+12"/"-17" ("增加12" is a plain 12).
//   text     the figure as written, approximate markers and unit included: "2万多册".
//   context  the phrase the number qualifies, from the previous clause boundary (，；：
//            。 and parentheses — not 、, which joins words inside labels) or the previous
//            figure, up to the number; spaces, quotes and markup dropped, leading list
//            numbering, dates (2019年, 截至…日) and fillers (其中, 共, 全年, 全市, 今年…)
//            and trailing verbs/markers (为, 达, 共计, 约, 的…) trimmed. 累计/历年 are kept:
//            they change what is counted. A percentage that states the share of the
//            count before it ("当面申请8件，占88.9%", "208 件（17.46%）", "38条，3.1%")
//            takes that count's context. Counts with no words of their own after 分别为/分别是
//            take, in order, the names before it ("予以公开、部分公开分别为120件、33件":
//            予以公开, 部分公开), when there are as many (see respective_contexts).
//   year     the year its words name (see report_model.hpp): a sentence's topic year names
//            its figures to the sentence's end (and a next sentence opening with 其中), a
//            comparison's (较, 比, 与…相比) those of its clause, a parenthesis's those inside
//            it; relative words (上年, 去年, 前年, 本年度, 今年, 全年, 当年) are resolved with
//            the report's year.
//   pos      where the figure's text starts; sentence: running index over the document
//            (split on 。！？ and at every block, except that a line of plain text that
//            goes on with the previous line's sentence stays in it — a wrapped numbered
//            item, or a piece after blank lines, when the break is evident: see
//            continues_line in narrative_scan.cpp); section: index of
//            the top-level section whose lines contain it, or npos.
//
// Not figures: years and dates, document numbers (〔2019〕60号), ordinals (第三, 前五名),
// list numbering ("1.", "（一）"), ranges (1-2名), phone numbers, postcodes, URLs, e-mail,
// numbers inside book titles 《…》, Chinese numerals in words (一是, 统一, 一站式, 三位一体,
// 七分之一, “七人普”), and paragraphs that are flattened table cells ("73",
// "3456160965.06(元)", "政府集中采购 57191", "（其中修订 16 件）").
//
// What a FigureList holds: parts — counts of one unit, at one parenthesis depth, in
// order, each with its "占a%" when written (or the n-th of "分别占a%、b%、c%" after
// its n parts, when there are as many as parts) — and a total when one can be told:
//   stated   before the parts through 其中 (the last count before it in the sentence, or
//            in the sentence before: "总数为1236条。其中："; after a list "8件中，A 7件，
//            B 1，其中…" it is that list's total, unless the parts before that count
//            already make the total: then the count is this list's, "…法人申请16件，办结
//            226件，其中…"), "X件中" / "在X件已答复件中", or after
//            the parts through "，共计X件";
//   inferred for a list that opens its sentence without one (an enumeration word, a run
//            of counts with percentages, "已答复中"): the count whose context the "…中"
//            names, a count just before 主要包括/分别为 in its sentence (when that count
//            is a part of a list, the list's total, unless the parts make up the part
//            and not the total: a second breakdown by 分别为), or the nearest "共…X件"
//            of the same unit, not itself a part, in this or the previous sentence of
//            the paragraph.
// A list ends at a stronger separator than the one between its parts (、 < ， < ；),
// a count of another unit, a clause stating a new total (共…), the closing parenthesis
// of "(其中…)", percentages that already make 100 (within a point: past that, one of
// them is wrong and the list goes on), counts that reach the stated total exactly in a
// list some of whose parts state shares (at a count stating none, whatever the shares
// add up to), or its sentence's end — unless the next
// sentence opens with another part of the same kind (count and percentage while
// the percentages are short of 100). "…如下：" or "其中：" closing a paragraph takes the
// numbered paragraphs after it as items. `partial` when the text says the list is not
// exhaustive (主要有/主要包括/主要为…, "等" after the last part, 包括…在内) and the last
// part is not an "其他…" catch-all. Parts whose running sum reaches the total (or one of
// the list's other totals) exactly and then, starting again, reaches it again are two
// breakdowns of it, by applicant then by channel: two lists (or more) of that total,
// the later ones' text from their own first part. A list has at least two parts; a run of counts
// without percentages, 其中 or a stated total is not a list.
// A count in parentheses right after a share ("予以公开占55.8%（129件）") is its part's
// count, with the share's words (予以公开) for context, as "予以公开129件（55.8%）" is.
// A list of shares with no counts ("门户网站占82.3%，微信公众号占比15.7%"): two or more
// percentages of one sentence and depth whose words say 占 and that share no count, with
// no total; each part's count is its percentage. It ends at its sentence's end, and
// is dropped when its shares are rough (约占), of a share (合计占…), or broken off by
// another figure with more shares after it.
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
// `report_year` (0: unknown) gives the years 上年, 前年, 本年度… name (Figure::year).
// A figure whose words name no year takes the year its (sub-)section's heading names
// ("（三）2022年度依申请公开情况"), unless the heading holds one of `heading_year_exceptions`
// (templates.yaml `metadata:`); a heading naming the report's year changes nothing.
// `number_words` (templates.yaml too) say which number is approximate and which
// units make a number a figure.
void extract_narrative(const Document& doc, const std::vector<Section>& sections,
                       std::vector<Figure>& figures, std::vector<FigureList>& lists, int report_year = 0,
                       const std::vector<std::string>& heading_year_exceptions = {},
                       const NumberWords& number_words = NumberWords::standard());

// A count spelled in Chinese numerals ("六", "二十", "一百零五", "两千", "三万"), parsed
// with ICU's zh spell-out rules (cardinal rule sets only, so "一二" is not 12); falls
// back to chinese_numeral_value. nullopt when the whole text is not one number.
std::optional<long long> parse_chinese_count(std::u32string_view text);

// A year written digit by digit ("二〇二〇", "二零一九") or spelled ("二千〇二十"),
// as in "二〇二〇年度". nullopt unless the whole text is a year between 1900 and 2199.
std::optional<int> parse_chinese_year(std::u32string_view text);

}  // namespace gouji
