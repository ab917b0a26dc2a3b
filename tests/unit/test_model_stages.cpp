// Model stages on constructed inputs: value parsing, label folding, headings,
// binding by label and by position, rows too short to place.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <limits>
#include <tuple>
#include <cstdio>

#include "engine/model/binder.hpp"
#include "engine/model/sections.hpp"
#include "engine/model/heading.hpp"
#include "engine/model/labels.hpp"
#include "engine/model/metadata.hpp"
#include "rules/names.hpp"
#include "gouji/readers.hpp"
#include "gouji/report_model.hpp"
#include "gouji/text.hpp"
#include "gouji/value.hpp"

using namespace gouji;

namespace {

Document lines_document(const std::vector<std::string>& lines) {
    Document d;
    d.path = "constructed.txt";
    d.format = "text";
    std::uint32_t n = 0;
    for (const auto& l : lines) {
        Block b;
        b.text = l;
        b.pos = SourcePos{++n, 1, 0};
        d.blocks.push_back(b);
    }
    return d;
}

const TemplateCatalog& catalog() {
    static const TemplateCatalog c = load_templates(default_rulepack_dir() + "/templates.yaml");
    return c;
}

}  // namespace

TEST_CASE("values: as written, missing kept distinct from zero") {
    CHECK(parse_cell_value("1254").number == 1254);
    CHECK(parse_cell_value("０").number == 0);
    CHECK(parse_cell_value("0").has_number());
    Value neg = parse_cell_value("-12");
    CHECK(neg.number == -12);
    CHECK(neg.sign_written);
    CHECK(parse_cell_value("+3").sign_written);
    Value money = parse_cell_value("3456160965.06(元)");
    CHECK(money.decimals == 2);
    CHECK(money.unit == "元");
    CHECK(parse_cell_value("8590元").unit == "元");
    CHECK(parse_cell_value("12.5", "万元").unit == "万元");
    CHECK(parse_cell_value("71.11%").decimals == 2);
    CHECK(parse_cell_value("10,037").number == 10037);
    CHECK(parse_cell_value("").missing == MissingReason::Blank);
    CHECK(parse_cell_value("/").missing == MissingReason::Slash);
    CHECK(parse_cell_value("—").missing == MissingReason::Dash);
    CHECK(parse_cell_value("-").missing == MissingReason::Dash);
    CHECK(parse_cell_value("无").missing == MissingReason::Nil);
    // A zero in Chinese numerals, and a minus typed as a dash before digits.
    CHECK(parse_cell_value("〇").number == 0);
    CHECK(parse_cell_value("零").has_number());
    CHECK(parse_cell_value("○").number == 0);
    for (const char* typed : {"–5", "—5", "－5", "−5"}) {
        CAPTURE(typed);
        Value minus = parse_cell_value(typed);
        REQUIRE(minus.has_number());
        CHECK(minus.number == -5);
        CHECK(minus.sign_written);
    }
    CHECK(parse_cell_value("——").missing == MissingReason::Dash);
    CHECK(parse_cell_value("〇〇").missing == MissingReason::Unparseable);
    CHECK(parse_cell_value("规章").missing == MissingReason::Unparseable);
    CHECK(parse_cell_value("2万多").approximate);
    CHECK(format_number(3456160965.06, 2) == "3456160965.06");
}

TEST_CASE("values: more significant digits than a double holds are unparseable, as a rule's literal") {
    // 99999999999999999999 read as a double is 1e20, a number the report does not hold.
    for (const std::string text : {"99999999999999999999", "1234567890123456", "-1234567890123456", "1234567890.123456",
                                   "１２３４５６７８９０１２３４５６", "1234567890123456件"}) {
        CAPTURE(text);
        const Value v = parse_cell_value(text);
        CHECK(v.missing == MissingReason::Unparseable);
        CHECK(v.beyond_range);  // where a number goes: placed in its cell
    }
    // Fifteen are exact, and so are the zeros before the first other digit and after the last.
    CHECK(parse_cell_value("123456789012345").number == 123456789012345.0);
    CHECK(parse_cell_value("100000000000000000000").number == 1e20);
    CHECK(parse_cell_value("0.000000000000000000001").has_number());
    CHECK(significant_digits("0.0500") == 1);
    CHECK(significant_digits("99999999999999999999") == 20);
    CHECK(significant_digits("0") == 0);
}

TEST_CASE("values: a unit word after a cell's number, a rough word before it") {
    const Value person = parse_cell_value("80人");
    CHECK(person.number == 80);
    CHECK(person.unit == "人");
    for (const char* text : {"约80", "大约80", "近80", "超过80", "逾80"}) {
        CAPTURE(text);
        const Value v = parse_cell_value(text);
        CHECK(v.number == 80);
        CHECK(v.rough());
    }
    CHECK(parse_cell_value("约").missing == MissingReason::Unparseable);
    CHECK(parse_cell_value("80*").missing == MissingReason::Unparseable);
}

TEST_CASE("values: a number is written back with printf's digits") {
    // Whole numbers take a shortcut; the rest go through std::to_chars: both must
    // print what printf("%.*f") prints (the reference), except "-0".
    for (double n : {0.0, -0.0, 7.0, -12.0, 1254.0, 9.0e15, -9.0e15, 1.0e16, 123456789012.0, 2.675, 0.125, -0.004,
                     71.11, 3456160965.06, 1.0 / 3.0})
        for (int decimals : {0, 1, 2, 4}) {
            char expected[64];
            std::snprintf(expected, sizeof expected, "%.*f", decimals, n);
            std::string want = std::string(expected) == "-0" ? "0" : expected;
            CAPTURE(n);
            CAPTURE(decimals);
            CHECK(format_number(n, decimals) == want);
        }
    CHECK(format_number(-0.0, 0) == "0");
    CHECK(format_number(-12, 0) == "-12");
}

TEST_CASE("values: written decimals beyond a double's digits print as written, not as noise") {
    // Written decimals are kept, trailing zeros included.
    CHECK(format_number(0.5, 2) == "0.50");
    CHECK(format_number(12, 3) == "12.000");
    // More decimals than the old cap of 12: this printed 0.000000000000.
    CHECK(format_number(1.2e-18, 19) == "0.0000000000000000012");
    CHECK(format_number(-1.2e-18, 19) == "-0.0000000000000000012");
    // 18 significant digits are more than a double holds: its 17 and a zero, not
    // the binary expansion's 123456789.123456791.
    CHECK(format_number(123456789.123456789, 9) == "123456789.123456790");
    CHECK(format_number(0.1, 20) == "0.10000000000000000000");
    CHECK(format_number(9.0e15, 2) == "9000000000000000.00");
    // Not a number to pad: as written before decimals were kept.
    CHECK(format_number(std::numeric_limits<double>::infinity(), 2) == "inf");
    CHECK(format_number(-std::numeric_limits<double>::infinity(), 3) == "-inf");
    // Extremes still print, and absurd decimals stop at what a double can need.
    CHECK(format_number(5e-324, 330) == "0." + std::string(323, '0') + "5000000");
    CHECK(format_number(0, 100000).size() == 342);
    CHECK(format_number(1.7976931348623157e308, 2).size() == 312);
}

TEST_CASE("labels: folded, numbering and spaces dropped") {
    CHECK(normalize_label("一、本年新收政府信息公开申请数量") == "本年新收政府信息公开申请数量");
    CHECK(normalize_label("（三）不予公开") == "不予公开");
    CHECK(normalize_label("3. 危及“三安全一稳定”") == "危及三安全一稳定");
    CHECK(normalize_label("(七)总计") == "总计");
    CHECK(normalize_label("三、本年度办理结果") == "本年度办理结果");
    CHECK(chinese_numeral_value(U"十二") == 12);
    CHECK(chinese_numeral_value(U"二十") == 20);
    CHECK(chinese_numeral_value(U"一百零五") == 105);
}

TEST_CASE("headings: numbering levels and titles") {
    HeadingShape a = heading_shape("一、总体情况");
    CHECK(a.level == 1);
    CHECK(a.title == "总体情况");
    HeadingShape b = heading_shape("（一）主动公开政府信息情况。2019 年全市共制作…");
    CHECK(b.level == 2);
    CHECK(b.title == "主动公开政府信息情况");
    CHECK(heading_shape("3.扎实推进新闻发布工作。").level == 3);
    CHECK(heading_shape("1.5亿元").level == 0);  // a decimal, not numbering
    CHECK(heading_shape("## **六、其他需要报告的事项**").level == 1);
    // "第三部分" numbers a top-level part as "三、" does.
    HeadingShape part = heading_shape("第三部分 收到和处理政府信息公开申请情况");
    CHECK(part.level == 1);
    CHECK(part.number == 3);
    CHECK(part.title == "收到和处理政府信息公开申请情况");
    CHECK(heading_shape("第6部分：其他需要报告的事项").number == 6);
    CHECK(heading_shape("第三季度共受理申请12件").level == 0);
}

TEST_CASE("binder: flattened 表四 without any label binds by position") {
    const TableSchema* t4 = catalog().find("gov-2019")->table("表四");
    std::vector<std::string> lines = {"行政复议", "行政诉讼"};
    for (int i = 1; i <= 15; ++i) lines.push_back(std::to_string(i));
    Document d = lines_document(lines);
    BoundTable t = bind_table(d, *t4, 0, d.blocks.size());
    CHECK(t.found);
    CHECK(t.cell("行政复议", "结果维持")->value.number == 1);
    CHECK(t.cell("复议后起诉", "总计")->value.number == 15);
    CHECK(t.cell("复议后起诉", "总计")->column_binding == BindingMethod::Position);
}

TEST_CASE("binder: a short row in flattened text is left missing, never shifted") {
    const TableSchema* t3 = catalog().find("gov-2019")->table("表三");
    Document d = lines_document({"一、本年新收政府信息公开申请数量", "5", "0", "0", "0", "0", "0", "5",
                                 "二、上年结转政府信息公开申请数量", "1", "0", "0", "1"});
    BoundTable t = bind_table(d, *t3, 0, d.blocks.size());
    CHECK(t.cell("本年新收", "总计")->value.number == 5);
    CHECK(t.cell("本年新收", "总计")->row_binding == BindingMethod::Label);
    for (const char* col : {"自然人", "商业企业", "总计"})
        CHECK(t.cell("上年结转", col)->value.missing == MissingReason::Unplaced);
    bool noted = false;
    for (const auto& n : t.notes) noted = noted || n.find("上年结转") != std::string::npos;
    CHECK(noted);
    CHECK(t.cell("予以公开", "总计")->row_binding == BindingMethod::Missing);
}

TEST_CASE("binder: a PDF-style line holds a label and its numbers") {
    const TableSchema* t3 = catalog().find("gov-2021")->table("表三");
    Document d = lines_document({"一、本年新收政府信息公开申请数量  705  3  0  0  5  0  713"});
    BoundTable t = bind_table(d, *t3, 0, d.blocks.size());
    CHECK(t.cell("本年新收", "自然人")->value.number == 705);
    CHECK(t.cell("本年新收", "总计")->value.number == 713);
    CHECK(t.cell("本年新收", "总计")->pos.column > 20);
}

TEST_CASE("metadata: publication date after its key, folded, long blocks without a key skipped") {
    // The metadata stage passes over lines holding none of the marks of the standard
    // words (the last character of a report name or a date key, the first of a period
    // key) as written; that is exact only while no other character folds to one.
    const MetadataWords& words = catalog().metadata;
    std::u32string marks;
    for (const auto* list : {&words.report_name_marks, &words.period_key_marks, &words.date_key_marks})
        for (const auto& m : *list) marks += fold_chars(m);
    REQUIRE(marks.size() >= 5);  // 告 报 统 数 间 期…: the standard words are loaded
    for (char32_t c = 0; c <= 0x10FFFF; ++c) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        char32_t folded = fold_char(c);
        if (folded != c && marks.find(folded) != std::u32string::npos)
            FAIL("U+" << std::hex << std::uint32_t(c) << " folds to a mark of the metadata words");
    }
    Metadata full_width = read_metadata(lines_document(
        {"某县人民政府2021年政府信息公开工作年度报告", std::string(3000, 'x'), "发布时间：２０２２－０１－２８  来源：县政府办"}), catalog().metadata);
    REQUIRE(full_width.published);
    CHECK(full_width.published->year == 2022);
    CHECK(full_width.published->month == 1);
    CHECK(full_width.published->day == 28);
    CHECK(full_width.published_pos.line == 3);
    // The first key in the order 发布时间, 发布日期, 时间:, 日期: decides, not the first in the text.
    Metadata ordered = read_metadata(lines_document({"日期:2019-02-01 发布日期2020年3月6日"}), catalog().metadata);
    REQUIRE(ordered.published);
    CHECK(ordered.published->year == 2020);
    CHECK(ordered.published->day == 6);
    CHECK_FALSE(read_metadata(lines_document({"本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。"}), catalog().metadata).published);
    // A signature date in Chinese numerals, as official documents write it.
    for (const auto& [line, month, day] : std::vector<std::tuple<std::string, int, int>>{
             {"二〇二二年一月二十日", 1, 20}, {"二〇二二年十二月三十一日", 12, 31}, {"（二零二二年三月五日）", 3, 5}}) {
        CAPTURE(line);
        Metadata signed_in_words = read_metadata(lines_document({"某县人民政府2021年政府信息公开工作年度报告", "正文。", "某县人民政府", line}), catalog().metadata);
        REQUIRE(signed_in_words.published);
        CHECK(signed_in_words.published->year == 2022);
        CHECK(signed_in_words.published->month == month);
        CHECK(signed_in_words.published->day == day);
    }
    CHECK_FALSE(read_metadata(lines_document({"正文。", "二〇二二年十三月一日"}), catalog().metadata).published);
}

TEST_CASE("sections: sub-headings numbered （X） are no parts when the part headings were lost") {
    // Part 一's own sub-headings, two of them worded like parts 二 and 三 and numbered
    // as those: without part 一 found as "（一）", none is taken for a part.
    Document d = lines_document({"2020年政府信息公开工作年度报告", "（一）加强组织领导", "本机关认真落实。",
                                 "（二）主动公开政府信息情况", "主动公开政府信息1254条。",
                                 "（三）收到和处理政府信息公开申请情况", "收到申请75件。"});
    CHECK(find_sections(d, *catalog().find("gov-2019")).empty());
}

// `line` states the statistics period 1 January to 31 December of `year`.
static void check_whole_year_period(const char* line, int year) {
    Metadata m = read_metadata(lines_document({line}), catalog().metadata);
    REQUIRE(m.period.parsed);
    CHECK(m.period.start.year == year);
    CHECK(m.period.start.month == 1);
    CHECK(m.period.start.day == 1);
    CHECK(m.period.end.year == year);
    CHECK(m.period.end.month == 12);
    CHECK(m.period.end.day == 31);
}

TEST_CASE("metadata: a statistics period stated as a whole year") {
    for (const char* line : {"本报告中所列数据的统计期限为2021年度。", "数据统计期限为2021年全年。"}) {
        CAPTURE(line);
        check_whole_year_period(line, 2021);
    }
    // A year that is not the whole period is no period: only right after the key, and
    // not a report's name.
    CHECK_FALSE(read_metadata(lines_document({"统计期限见2021年1月报表。"}), catalog().metadata).period.parsed);
    CHECK_FALSE(read_metadata(lines_document({"统计期限为1月1日至12月31日，与2020年度一致。"}), catalog().metadata).period.parsed);
    CHECK_FALSE(read_metadata(lines_document({"统计期限与2021年度报告一致。"}), catalog().metadata).period.parsed);
}

TEST_CASE("metadata: a statistics period written in Chinese numerals") {
    for (const char* line : {"本报告中所列数据的统计期限自二〇二二年一月一日起至二〇二二年十二月三十一日止。",
                             "统计期限为二〇二二年一月一日至十二月三十一日。",
                             "统计期限自二○二二年一月一日起至二○二二年十二月三十一日止。"}) {
        CAPTURE(line);
        check_whole_year_period(line, 2022);
    }
    // No year at the start: no period (as with digits).
    CHECK_FALSE(read_metadata(lines_document({"统计期限为一月一日至十二月三十一日。"}), catalog().metadata).period.parsed);
    CHECK_FALSE(read_metadata(lines_document({"统计期限自二〇二二年十三月一日起。"}), catalog().metadata).period.parsed);
}

TEST_CASE("metadata: the agency of titles worded and broken as published") {
    auto agency = [](const std::vector<std::string>& lines) {
        Metadata m = read_metadata(lines_document(lines), catalog().metadata);
        CHECK(m.year == 2021);
        return m.agency;
    };
    CHECK(agency({"云岭市生态环境局2021年政府信息公开工作年度报告"}) == "云岭市生态环境局");
    CHECK(agency({"云岭市生态环境局", "2021年政府信息公开工作年度报告"}) == "云岭市生态环境局");
    CHECK(agency({"云岭市生态环境局关于2021年政府信息公开工作的年度报告"}) == "云岭市生态环境局");
    CHECK(agency({"云岭市生态环境局政府信息公开工作2021年度报告"}) == "云岭市生态环境局");
    CHECK(agency({"云岭市生态环境局2021年政府信息公开工作报告"}) == "云岭市生态环境局");
    CHECK(agency({"首页 > 政务公开 > 年度报告", "云岭市生态环境局2021年政府信息公开工作年度报告"}) == "云岭市生态环境局");
    // A page's line above a title without its agency is no agency.
    CHECK(agency({"首页", "2021年政府信息公开工作年度报告"}).empty());
    CHECK(agency({"打印本页", "2021年政府信息公开工作年度报告"}).empty());
    CHECK(agency({"来源:云岭市生态环境局", "2021年政府信息公开工作年度报告"}).empty());
    // A title that names its agency after the year keeps it; the line above is not joined.
    CHECK(agency({"正文", "2021年上海市人民政府办公厅政府信息公开工作年度报告"}) == "上海市人民政府办公厅");
    CHECK(agency({"发布日期：2022-01-20", "2021年政府信息公开工作年度报告"}).empty());
}

TEST_CASE("metadata: titles broken, preceded by a site's lines, or with the year below") {
    auto read = [](const std::vector<std::string>& lines) { return read_metadata(lines_document(lines), catalog().metadata); };
    // Broken over two lines, wherever the break falls.
    for (const auto& [first, second] : std::vector<std::pair<std::string, std::string>>{
             {"XX县人民政府2022年", "政府信息公开工作年度报告"},
             {"XX县人民政府2022年政府信息", "公开工作年度报告"},
             {"XX县人民政府2022年政府信息公开工作", "年度报告"}}) {
        CAPTURE(first);
        Metadata m = read({first, second, "发布时间：2023-01-20"});
        CHECK(m.title == "XX县人民政府2022年政府信息公开工作年度报告");
        CHECK(m.year == 2022);
        CHECK(m.agency == "XX县人民政府");
    }
    // A site's column name, its navigation or a notice about the report come first:
    // the title is the line that has a year and ends as a title.
    for (const char* before : {"政府信息公开年报", "首页 政务公开 政府信息公开年报",
                                      "通知公告：示例市2021年度政府信息公开工作年度报告已发布"}) {
        CAPTURE(before);
        Metadata m = read({before, "示例市2022年政府信息公开工作年度报告", "正文。"});
        CHECK(m.title == "示例市2022年政府信息公开工作年度报告");
        CHECK(m.year == 2022);
    }
    // The year alone on the line below.
    Metadata below = read({"XX县人民政府政府信息公开工作年度报告", "（2022年度）", "正文。"});
    CHECK(below.year == 2022);
    CHECK(below.agency == "XX县人民政府");
    // A sentence that names a report is a title only when nothing else is.
    CHECK(read({"现将本机关2021年政府信息公开工作年度报告公布如下。", "XX县2022年政府信息公开工作年度报告"}).year == 2022);
    CHECK(read({"现将本机关2021年政府信息公开工作年度报告公布如下。"}).year == 2021);
    // A label before a title is not part of it; a date after one does not hide it.
    CHECK(read({"标题：XX县2022年政府信息公开工作年度报告"}).title == "XX县2022年政府信息公开工作年度报告");
    CHECK(read({"XX县2022年政府信息公开工作年度报告 发布时间：2023-01-20"}).year == 2022);
}

TEST_CASE("metadata: agencies the title's wording cuts or adorns") {
    auto agency = [](const std::string& title) { return read_metadata(lines_document({title}), catalog().metadata).agency; };
    CHECK(agency("2022年度云岭市生态环境局政府信息公开工作年度报告") == "云岭市生态环境局");
    CHECK(agency("2022年云岭市人民政府信息公开工作年度报告") == "云岭市人民政府");
    CHECK(agency("云岭县人民政府信息公开工作2022年度报告") == "云岭县人民政府");
    CHECK(agency("XX市统计局（XX市普查中心）2022年政府信息公开工作年度报告") == "XX市统计局");
}

TEST_CASE("metadata: the publication date is the page's or the signature's, not another date") {
    auto published = [](const std::vector<std::string>& lines) {
        Metadata m = read_metadata(lines_document(lines), catalog().metadata);
        return m.published ? fmt::format("{}-{}-{}", m.published->year, m.published->month, m.published->day) : "none";
    };
    const std::string title = "XX市统计局2022年政府信息公开工作年度报告";
    // Other times of the page are not its publication.
    CHECK(published({title, "更新时间：2023-03-15", "发布时间：2023-01-20"}) == "2023-1-20");
    CHECK(published({title, "打印时间:2023-05-01"}) == "none");
    CHECK(published({title, "统计时间：2022年1月1日至2022年12月31日", "正文。"}) == "none");
    CHECK(published({title, "发布时间 : 2023年04月20日"}) == "2023-4-20");
    // The signature, before dates a page prints after it.
    CHECK(published({title, "正文。", "XX市统计局", "2023年1月18日", "相关信息", "2023-04-20"}) == "2023-1-18");
    CHECK(published({title, "正文。", "XX市统计局", "2023年1月18日", "2023-05-06 10:22"}) == "2023-1-18");
    CHECK(published({title, "正文。", "XX市统计局　2023年4月18日"}) == "2023-4-18");
    // With no agency above it, the last dated line still signs.
    CHECK(published({title, "正文。", "2023年1月18日"}) == "2023-1-18");
}

TEST_CASE("metadata: a page listing other years' reports beside its own, and its info table") {
    // A sidebar of other years above the title: the heading wins; without one, the
    // statistics period's year.
    Document sidebar = lines_document({"示例市2021年政府信息公开工作年度报告", "示例市2020年政府信息公开工作年度报告",
                                       "示例市2022年政府信息公开工作年度报告", "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。"});
    CHECK(read_metadata(sidebar, catalog().metadata).year == 2022);
    sidebar.blocks[2].kind = BlockKind::Heading;
    sidebar.blocks[3].text = "本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。";  // a copied period stays an error
    CHECK(read_metadata(sidebar, catalog().metadata).year == 2022);
    Document listed = lines_document({"- 示例市2021年政府信息公开工作年度报告", "示例市2022年政府信息公开工作年度报告"});
    CHECK(read_metadata(listed, catalog().metadata).year == 2022);
    // The first line is the title: a link to last year's report under it ("上一篇：",
    // "相关报告：") does not take its place, though the period was copied from last year.
    const std::string copied = "本报告所列数据的统计期限自2019年1月1日起至2019年12月31日止。";
    for (const char* label : {"上一篇：", "**相关报告：", "相关链接:"}) {
        CAPTURE(label);
        Document linked = lines_document({"泉州市统计局2020年政府信息公开工作年度报告",
                                          std::string(label) + "泉州市统计局2019年政府信息公开工作年度报告", copied});
        linked.blocks[1].bold = std::string(label).starts_with("**");
        CHECK(read_metadata(linked, catalog().metadata).year == 2020);
    }
    // The site's info table of many rows holds the title and the date.
    Document info;
    Block table;
    table.kind = BlockKind::Table;
    table.table.column_count = 4;
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
             {"索引号", "001"}, {"主题分类", "政务公开"}, {"发文机关", "示例市统计局"}, {"成文日期", "2023-01-15"},
             {"标题", "示例市统计局2022年政府信息公开工作年度报告"}, {"发布日期", "2023-03-20"}}) {
        std::vector<TableCell> row(2);
        row[0].text = key + "：";
        row[1].text = value;
        table.table.rows.push_back(row);
    }
    info.blocks.push_back(table);
    Metadata m = read_metadata(info, catalog().metadata);
    CHECK(m.year == 2022);
    CHECK(m.agency == "示例市统计局");
    REQUIRE(m.published);
    CHECK(m.published->month == 3);
}

TEST_CASE("metadata: publication dates in brackets, on the next line, and other dates of a document") {
    auto published = [](const std::vector<std::string>& lines) {
        Metadata m = read_metadata(lines_document(lines), catalog().metadata);
        return m.published ? fmt::format("{}-{}-{}", m.published->year, m.published->month, m.published->day) : "none";
    };
    CHECK(published({"发布日期：[2023-03-20]"}) == "2023-3-20");
    CHECK(published({"发布时间：【2023-03-20】"}) == "2023-3-20");
    CHECK(published({"发布日期：", "2021-03-18"}) == "2021-3-18");
    CHECK(published({"成文日期：2023-01-15 生效日期：2023-01-15 发布日期：2023-03-20"}) == "2023-3-20");
    // The document's own date, when nothing says when the page came out.
    CHECK(published({"生效日期：2023-01-15"}) == "none");
    CHECK(published({"发文机关：泉州市统计局 成文日期：2021-01-07", "正文。"}) == "2021-1-7");
    CHECK(published({"成文日期：2021-01-07", "发布日期：2021-03-18"}) == "2021-3-18");
}

TEST_CASE("sections: a table of contents is not the parts it lists") {
    for (const std::string leader : {"……………1", "\t1", " .......... 1"}) {
        CAPTURE(leader);
        std::vector<std::string> lines = {"示例县2020年政府信息公开工作年度报告", "目录"};
        const std::vector<std::string> parts = {"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"};
        for (const auto& p : parts) lines.push_back(p + leader);
        for (const auto& p : parts) {
            lines.push_back(p);
            lines.push_back("正文。");
        }
        auto sections = find_sections(lines_document(lines), *catalog().find("gov-2019"));
        REQUIRE(sections.size() == 3);
        CHECK(sections[0].first_line == 6);
        CHECK(sections[0].text == "正文。");
    }
    // Parts numbered "1."…"6." as headings, when nothing else numbers them; a list's
    // "1." items are no parts.
    auto bold = [](std::vector<std::string> lines) {
        Document d = lines_document(lines);
        for (auto& b : d.blocks) b.bold = b.text != "正文。";
        return d;
    };
    auto arabic = find_sections(bold({"1.总体情况", "正文。", "2.主动公开政府信息情况", "正文。", "3.收到和处理政府信息公开申请情况",
                                      "正文。", "4.政府信息公开行政复议、行政诉讼情况", "正文。"}),
                                *catalog().find("gov-2019"));
    REQUIRE(arabic.size() == 4);
    CHECK(arabic[3].canonical == "政府信息公开行政复议、行政诉讼情况");
    CHECK(find_sections(lines_document({"1.总体情况", "正文。", "2.主动公开政府信息情况", "正文。", "3.收到和处理政府信息公开申请情况",
                                        "正文。", "4.政府信息公开行政复议、行政诉讼情况", "正文。"}),
                        *catalog().find("gov-2019"))
              .empty());
    // "二、主动公开情况" is part 二.
    auto renamed = find_sections(lines_document({"一、总体情况", "正文。", "二、主动公开情况", "正文。"}), *catalog().find("gov-2019"));
    REQUIRE(renamed.size() == 2);
    CHECK(renamed[1].canonical == "主动公开政府信息情况");
}

TEST_CASE("sections: a reworded part heading is taken by its number and a keyword of the part") {
    const TemplateSchema& gov = *catalog().find("gov-2019");
    // Read from templates.yaml, normalized as labels are.
    CHECK(gov.sections[4].keywords == std::vector<std::string>{"问题", "不足", "改进"});
    const std::vector<std::string> four = {"一、总体情况", "正文。", "二、主动公开政府信息情况", "正文。",
                                           "三、收到和处理政府信息公开申请情况", "正文。"};
    auto parts = [&](std::vector<std::string> lines) {
        std::vector<std::string> out;
        for (const auto& s : find_sections(lines_document(lines), gov))
            out.push_back(std::to_string(s.template_number) + ":" + s.matched_keyword);
        return out;
    };
    auto with = [&](std::vector<std::string> tail) {
        std::vector<std::string> lines = four;
        lines.insert(lines.end(), tail.begin(), tail.end());
        return lines;
    };
    // Named by no alias, numbered as the next part, holding its keyword (a user tester's headings).
    CHECK(parts(with({"四、复议诉讼情况", "正文。", "五、问题与改进", "正文。", "六、其他需要报告的事项", "正文。"})) ==
          std::vector<std::string>{"1:", "2:", "3:", "4:复议", "5:问题", "6:"});
    CHECK(parts(with({"四、政府信息公开行政复议、行政诉讼情况", "正文。", "五、不足与改进", "正文。"})).back() == "5:不足");
    // Part 四 lost: part 五 still stands after the parts before it.
    CHECK(parts(with({"五、问题与改进", "正文。"})).back() == "5:问题");
    // No keyword of part 五: clearly something else, a sub-heading of part 四.
    auto annex = find_sections(lines_document(with({"四、复议诉讼情况", "正文。", "五、附件", "正文。"})), gov);
    REQUIRE(annex.size() == 4);
    REQUIRE(annex[3].children.size() == 1);
    CHECK(annex[3].children[0].title == "五、附件");
    // Not after the part before it in the template (六 came first), nor numbered as the part.
    CHECK(parts(with({"六、其他需要报告的事项", "正文。", "五、问题与改进", "正文。"})).size() == 4);
    CHECK(parts(with({"四、问题与改进", "正文。"})).size() == 3);
    // The first part, when no part comes before it.
    CHECK(parts({"一、年度概况", "正文。", "二、主动公开政府信息情况", "正文。"}) == std::vector<std::string>{"1:概况", "2:"});
    // A markdown heading of another level than the parts' is a sub-heading.
    const std::string md = "## 三、收到和处理政府信息公开申请情况\n\n正文。\n\n## 四、政府信息公开行政复议、行政诉讼情况\n\n正文。\n\n"
                           "### 五、问题与改进\n\n正文。\n\n## 六、其他需要报告的事项\n\n正文。\n";
    auto nested = find_sections(read_markdown("levels.md", md, {}), gov);
    REQUIRE(nested.size() == 3);
    CHECK(nested[1].template_number == 4);
    REQUIRE(nested[1].children.size() == 1);
    CHECK(nested[2].template_number == 6);
    // At the parts' level it is part 五.
    std::string same = md;
    same.replace(same.find("### "), 4, "## ");
    auto level = find_sections(read_markdown("levels.md", same, {}), gov);
    REQUIRE(level.size() == 4);
    CHECK(level[2].matched_keyword == "问题");
}

TEST_CASE("text: is_space is Unicode White_Space plus the zero-width space, BOM and soft hyphen") {
    // is_space answers ASCII and everything past U+3000 inline; this pins that the
    // shortcut agrees with the full definition for every code point.
    std::size_t disagreements = 0;
    for (char32_t c = 0; c <= 0x10FFFF; ++c) {
        bool expected = u_isUWhiteSpace(static_cast<UChar32>(c)) || c == 0x200B || c == 0xFEFF || c == 0x00AD;
        if (is_space(c) != expected && ++disagreements <= 5) FAIL_CHECK("U+" << std::hex << std::uint32_t(c));
    }
    CHECK(disagreements == 0);
    CHECK(normalize_label("（一）「予以 公开」：") == "予以公开");
}

TEST_CASE("names: row_has_column answers as row_columns lists, for every cell of the standard tables") {
    std::size_t blocked = 0;
    for (const TemplateSchema& t : catalog().templates) {
        for (const TableSchema& table : t.tables) {
            for (std::size_t r = 0; r <= table.rows.size(); ++r) {  // one past the end too
                const auto cols = names::row_columns(table, r);
                if (cols.size() < table.columns.size()) ++blocked;
                for (std::size_t c = 0; c <= table.columns.size(); ++c)
                    CHECK(names::row_has_column(table, r, c) == (std::find(cols.begin(), cols.end(), c) != cols.end()));
            }
        }
    }
    CHECK(blocked > 0);  // some rows (表四's blocks) have fewer columns than the table
}

TEST_CASE("labels: a sub-heading that names a table row is a table label, prefixes both ways") {
    const TemplateSchema* t = catalog().find("gov-2019");
    REQUIRE(t != nullptr);
    CHECK(is_table_label(normalize_label("（一）予以公开"), *t));          // equal to a row
    CHECK(is_table_label(normalize_label("本年新收政府信息公开申请数量"), *t));  // starts with a row name
    CHECK(is_table_label(normalize_label("行政复议"), *t));                // a prefix of a longer name
    CHECK_FALSE(is_table_label(normalize_label("（一）加强组织领导"), *t));
    CHECK_FALSE(is_table_label("", *t));
}

TEST_CASE("text: fold_char is NFKC of each BMP character when that is one character") {
    // The fold table asks ICU only about characters that are not inert; this
    // checks the shortcut against ICU for every BMP character.
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    REQUIRE(U_SUCCESS(status));
    std::size_t disagreements = 0;
    for (char32_t c = 0x80; c < 0x10000; ++c) {
        if ((c >= 0xD800 && c <= 0xDFFF) || c == 0x00A0 || c == 0x3000 || c == 0x3001 || c == 0x2014) continue;
        UErrorCode st = U_ZERO_ERROR;
        icu::UnicodeString out = nfkc->normalize(icu::UnicodeString(static_cast<UChar32>(c)), st);
        char32_t expected = U_SUCCESS(st) && out.countChar32() == 1 ? static_cast<char32_t>(out.char32At(0)) : c;
        if (fold_char(c) != expected && ++disagreements <= 5) FAIL_CHECK("U+" << std::hex << std::uint32_t(c));
    }
    CHECK(disagreements == 0);
    CHECK(fold_char(U'１') == U'1');
    CHECK(fold_char(U'가') == U'가');
    CHECK(fold_char(0x3000) == U' ');
}
