// Narrative stage: figures in prose (units, precision, what is not a count,
// positions, context), Chinese numerals through ICU, and the lists the narrative
// rules check — on constructed paragraphs and on the real reports of the corpus,
// whose verified relations (corpus README) are asserted list by list.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "engine/model/narrative.hpp"
#include "engine/model/narrative_scan.hpp"
#include "gouji/readers.hpp"
#include "gouji/text.hpp"
#include "gouji/value.hpp"

namespace {

using gouji::Block;
using gouji::BlockKind;
using gouji::Document;
using gouji::Figure;
using gouji::FigureList;

struct Narrative {
    std::vector<Figure> figures;
    std::vector<FigureList> lists;

    // The figures written exactly as `text`, in order.
    std::vector<const Figure*> all(const std::string& text) const {
        std::vector<const Figure*> found;
        for (const Figure& f : figures)
            if (f.text == text) found.push_back(&f);
        return found;
    }
    const Figure* find(const std::string& text) const {
        auto found = all(text);
        return found.empty() ? nullptr : found.front();
    }
    // The list whose total is written `total` and whose first part is `first_part`.
    const FigureList* list(const std::string& total, const std::string& first_part) const {
        for (const FigureList& l : lists) {
            std::string t = l.total ? figures[*l.total].text : "";
            if (t == total && !l.parts.empty() && figures[l.parts.front().count].text == first_part) return &l;
        }
        return nullptr;
    }
    std::vector<double> counts(const FigureList& l) const {
        std::vector<double> out;
        for (const auto& p : l.parts) out.push_back(figures[p.count].value.number);
        return out;
    }
    std::vector<std::string> percents(const FigureList& l) const {
        std::vector<std::string> out;
        for (const auto& p : l.parts) out.push_back(p.percent ? figures[*p.percent].text : "-");
        return out;
    }
};

Narrative extract(const Document& doc, const std::vector<gouji::Section>& sections = {}) {
    Narrative n;
    gouji::extract_narrative(doc, sections, n.figures, n.lists);
    return n;
}

// One paragraph per string, on consecutive lines from line 1 (blank lines between
// unless `adjacent`), as the plain-text reader gives them.
Document paragraphs(const std::vector<std::string>& texts, bool adjacent = false) {
    Document doc;
    std::uint32_t line = 1;
    for (const std::string& t : texts) {
        Block& b = doc.blocks.emplace_back();
        b.kind = BlockKind::Paragraph;
        b.text = t;
        b.pos = {line, 1, 0};
        line += 1 + static_cast<std::uint32_t>(std::count(t.begin(), t.end(), '\n')) + (adjacent ? 0 : 1);
    }
    return doc;
}

Narrative extract_text(const std::string& text) { return extract(paragraphs({text})); }

std::string corpus_path(const std::string& folder, const std::string& name) {
    std::string own = std::string(GOUJI_TEST_DIR) + "/corpus/" + folder + "/" + name;
    if (std::ifstream(own).good()) return own;
    return std::string(GOUJI_SOURCE_DIR) + "/../shared/corpus/" + folder + "/" + name;
}

std::optional<Narrative> extract_corpus(const std::string& folder, const std::string& name) {
    std::string path = corpus_path(folder, name);
    if (!std::ifstream(path).good()) {
        MESSAGE("corpus file not found, skipped: " << path);
        return std::nullopt;
    }
    return extract(gouji::read_document(path));
}

std::vector<double> nums(std::initializer_list<double> v) { return v; }

}  // namespace

// ---- figures ----------------------------------------------------------------

TEST_CASE("narrative: counts with units, decimals, thousands and full-width digits") {
    Narrative n = extract_text("全市共受理依申请公开1206件，其中网络申请 500件、信函申请１２件，访问量10,037人次，占71.11%，另有0.0007%。");
    const Figure* f = n.find("1206件");
    REQUIRE(f);
    CHECK(f->value.number == 1206);
    CHECK(f->value.unit == "件");
    CHECK(f->value.decimals == 0);
    CHECK_FALSE(f->value.approximate);
    CHECK(f->context == "受理依申请公开");
    REQUIRE(n.find("500件"));
    CHECK(n.find("500件")->context == "网络申请");
    const Figure* wide = n.find("１２件");
    REQUIRE(wide);
    CHECK(wide->value.number == 12);
    CHECK(wide->pos.column == 33);  // columns count characters of the original
    REQUIRE(n.find("10,037人次"));
    CHECK(n.find("10,037人次")->value.number == 10037);
    CHECK(n.find("10,037人次")->value.unit == "人次");
    REQUIRE(n.find("71.11%"));
    CHECK(n.find("71.11%")->value.decimals == 2);
    CHECK(n.find("71.11%")->value.unit == "%");
    REQUIRE(n.find("0.0007%"));
    CHECK(n.find("0.0007%")->value.decimals == 4);
}

TEST_CASE("narrative: 万 and 亿, money units, approximate and signed figures") {
    Narrative n = extract_text(
        "日均访问量已达6.6万多人次，编发各类政策汇编2万多册，召开会议近20场，约300个，刊登报道50 余篇，"
        "进企解读政策3000多家次，超过3000人参加，日均6850次以上，安排资金7.8万余元，决算总额为1.41亿元，"
        "累计服务调用2.3亿次，人数增加12人，本年增减+12，另-17。");
    const Figure* f = n.find("6.6万多人次");
    REQUIRE(f);
    CHECK(f->value.number == 66000);
    CHECK(f->value.unit == "人次");
    CHECK(f->value.approximate);
    CHECK(f->value.rough());  // 多: no number to read
    REQUIRE(n.find("2万多册"));
    CHECK(n.find("2万多册")->value.rough());
    CHECK(n.find("2万多册")->value.number == 20000);
    // 万 hiding digits, with no word: approximate, but read within half its last digit.
    REQUIRE(n.find("2.3亿次"));
    CHECK(n.find("2.3亿次")->value.approximate);
    CHECK(!n.find("2.3亿次")->value.rough());
    CHECK(n.find("2.3亿次")->value.rounding == 5000000);
    CHECK(n.find("2万多册")->value.unit == "册");
    REQUIRE(n.find("近20场"));
    CHECK(n.find("近20场")->value.number == 20);
    CHECK(n.find("近20场")->value.approximate);
    REQUIRE(n.find("约300个"));
    CHECK(n.find("约300个")->value.approximate);
    REQUIRE(n.find("50 余篇"));
    CHECK(n.find("50 余篇")->value.approximate);
    REQUIRE(n.find("3000多家次"));
    CHECK(n.find("3000多家次")->value.unit == "家次");
    REQUIRE(n.find("超过3000人"));
    CHECK(n.find("超过3000人")->value.approximate);
    REQUIRE(n.find("6850次以上"));
    CHECK(n.find("6850次以上")->value.approximate);
    const Figure* money = n.find("7.8万余元");
    REQUIRE(money);
    CHECK(money->value.unit == "万元");
    CHECK(money->value.number == doctest::Approx(7.8));
    CHECK(money->value.decimals == 1);
    REQUIRE(n.find("1.41亿元"));
    CHECK(n.find("1.41亿元")->value.unit == "亿元");
    CHECK(n.find("1.41亿元")->value.decimals == 2);
    REQUIRE(n.find("2.3亿次"));
    CHECK(n.find("2.3亿次")->value.number == 230000000);
    const Figure* added = n.find("12人");
    REQUIRE(added);
    CHECK_FALSE(added->value.sign_written);
    CHECK(added->value.number == 12);
    REQUIRE(n.find("+12"));
    CHECK(n.find("+12")->value.sign_written);
    CHECK(n.find("+12")->value.number == 12);
    REQUIRE(n.find("-17"));
    CHECK(n.find("-17")->value.number == -17);
}

TEST_CASE("narrative: dates, document numbers, numbering, phones, URLs are not figures") {
    Narrative n = extract(paragraphs({
        "1.推进重要决策公开。根据《国务院办公厅关于印发2019年政务公开工作要点的通知》(国办发〔2019〕14号)和国办公开办函〔2019〕60号要求，"
        "统计期限从2020年1月1日至2020年12月31日，2017年1-11月，依据第二十条第（一）项和第20条。",
        "电话:0595-22371198，邮编:362000，网址www.fjqz.gov.cn，电子邮箱qzxxgkb@163.com，IPv6改造，7.3TB，“26+10”目录，(1)围绕上级要求。",
        "一是加强统一领导，第一平台，一些单位，进一步，一站式服务，一把手，危及“三安全一稳定”，占全省约七分之一，前五名，"
        "新增“七人普”菜单，一件事，一次性告知，三位一体，一人一档。",
        "— 1 —",
    }));
    for (const Figure& f : n.figures) INFO("unexpected figure " << f.text << " (" << f.context << ")");
    CHECK(n.figures.empty());
}

TEST_CASE("narrative: Chinese numerals before counting units") {
    Narrative n = extract_text("全文由总体情况等六个部分组成，共组织开展两次培训，召开一百零五场会议，全文六部分，二〇二〇年度报告。");
    REQUIRE(n.find("六个"));
    CHECK(n.find("六个")->value.number == 6);
    CHECK(n.find("六个")->value.unit == "个");
    REQUIRE(n.find("两次"));
    CHECK(n.find("两次")->value.number == 2);
    CHECK(n.find("两次")->context == "组织开展");
    REQUIRE(n.find("一百零五场"));
    CHECK(n.find("一百零五场")->value.number == 105);
    REQUIRE(n.find("六部分"));
    CHECK(n.find("六部分")->value.unit == "部分");
    CHECK(n.figures.size() == 4);  // 二〇二〇年度 is a year
}


// The units after a Chinese numeral are those after an Arabic number (user tester:
// "行政复议案件六起" gave no figure where "6起" did).
TEST_CASE("narrative: Chinese numerals take the units Arabic numbers take") {
    Narrative n = extract_text(
        "全年共发生政府信息公开行政复议案件六起，其中维持三起；行政复议两起、行政诉讼一起，二起尚未审结。"
        "受理申请五宗，答复十二次，涉及三个部门、四条意见、七项制度、九人，收费十万元，拨款一亿五千万元，"
        "发生一起行政诉讼案件，另有一起因政府信息公开引起的行政复议，其中一起尚未审结。");
    for (auto [text, number, unit] : std::initializer_list<std::tuple<const char*, double, const char*>>{
             {"六起", 6, "起"},       {"三起", 3, "起"},   {"两起", 2, "起"},   {"一起", 1, "起"},
             {"二起", 2, "起"},       {"五宗", 5, "宗"},   {"十二次", 12, "次"}, {"三个", 3, "个"},
             {"四条", 4, "条"},       {"七项", 7, "项"},   {"九人", 9, "人"},   {"十万元", 10, "万元"},
             {"一亿五千万元", 15000, "万元"}}) {
        INFO(std::string(text));
        REQUIRE(n.find(text));
        CHECK(n.find(text)->value.number == number);
        CHECK(n.find(text)->value.unit == unit);
    }
    // 行政诉讼一起 (clause end), 一起行政诉讼案件, 另有一起, 其中一起: counts of cases.
    CHECK(n.all("一起").size() == 4);
    const Figure* review = n.find("六起");
    CHECK(review->context == "发生政府信息公开行政复议案件");
}

TEST_CASE("narrative: 一起 as 'together' and 一 in words are not counts") {
    Narrative n = extract(paragraphs({
        "和有关部门一起研究，与市场监管局一起开展检查，把公开与服务结合在一起，大家一块学习，",
        "推行一件事集成办，一本账管理，全市一张网，一张图调度，一元化管理，企业一套表联网直报，",
        "打通服务群众最后一公里，“五个一批”项目。",
        // Reviewer: not one (没有一起, 无一起), together before 申请 / 审结, and at a clause's end
        // when no case is named before it.
        "本年度没有一起行政复议案件被纠错，无一起败诉。申请人与代理人一起申请行政复议，与复议机关一起审结，",
        "会同法律顾问一起，认真做好应诉工作。",
    }));
    for (const Figure& f : n.figures) FAIL_CHECK("unexpected figure " << f.text << " (" << f.context << ")");
}
TEST_CASE("narrative: parse_chinese_count and parse_chinese_year through ICU RBNF") {
    using gouji::parse_chinese_count;
    using gouji::parse_chinese_year;
    CHECK(parse_chinese_count(U"六") == 6);
    CHECK(parse_chinese_count(U"二十") == 20);
    CHECK(parse_chinese_count(U"一百零五") == 105);
    CHECK(parse_chinese_count(U"一百〇五") == 105);
    CHECK(parse_chinese_count(U"两") == 2);
    CHECK(parse_chinese_count(U"两千") == 2000);
    CHECK(parse_chinese_count(U"三万") == 30000);
    CHECK(parse_chinese_count(U"四十五万六千七百八十九") == 456789);
    CHECK(parse_chinese_count(U"十二") == 12);
    CHECK_FALSE(parse_chinese_count(U"一二"));  // "one or two", not 12
    CHECK_FALSE(parse_chinese_count(U"两百五"));  // spoken 250; the rules would say 205
    CHECK_FALSE(parse_chinese_count(U"三百二"));
    CHECK_FALSE(parse_chinese_count(U"是"));
    CHECK_FALSE(parse_chinese_count(U""));
    CHECK(parse_chinese_year(U"二〇二〇") == 2020);
    CHECK(parse_chinese_year(U"二零一九") == 2019);
    CHECK(parse_chinese_year(U"二千〇二十") == 2020);
    CHECK(parse_chinese_year(U"二○二三") == 2023);
    CHECK_FALSE(parse_chinese_year(U"二〇二"));
    CHECK_FALSE(parse_chinese_year(U"一九八"));
    CHECK_FALSE(parse_chinese_year(U"十二"));
    CHECK_FALSE(parse_chinese_year(U"六"));
    CHECK_FALSE(parse_chinese_year(U"年度"));
}

TEST_CASE("narrative: positions walk the block's lines, sentences and sections") {
    Document doc;
    Block& b = doc.blocks.emplace_back();
    b.text = "全年共发布信息\n１２件。其中A类5件，\nB类7件。";
    b.pos = {10, 3, 0};
    Block& t = doc.blocks.emplace_back();
    t.kind = BlockKind::Table;
    Block& c = doc.blocks.emplace_back();
    c.text = "召开发布会8场。";
    c.pos = {20, 1, 0};
    gouji::Section first, second;
    first.first_line = 1;
    first.last_line = 11;
    second.first_line = 12;
    second.last_line = 15;
    Narrative n = extract(doc, {first, second});
    REQUIRE(n.figures.size() == 4);
    CHECK(n.figures[0].text == "１２件");
    CHECK(n.figures[0].pos == gouji::SourcePos{11, 1, 0});
    CHECK(n.figures[1].pos == gouji::SourcePos{11, 9, 0});
    CHECK(n.figures[2].pos == gouji::SourcePos{12, 3, 0});
    CHECK(n.figures[0].sentence == 0);
    CHECK(n.figures[1].sentence == 1);
    CHECK(n.figures[2].sentence == 1);
    CHECK(n.figures[3].sentence == 2);
    INFO("sections: " << n.figures[0].section << " " << n.figures[2].section << " " << n.figures[2].text);
    CHECK(n.figures[0].section == 0);
    CHECK(n.figures[2].section == 1);
    CHECK(n.figures[3].section == std::size_t(-1));
    REQUIRE(n.lists.size() == 1);
    CHECK(n.lists[0].total == 0u);
    CHECK(n.lists[0].pos == gouji::SourcePos{11, 1, 0});
}

TEST_CASE("narrative: sections that share a line are told apart by column") {
    Document doc;
    for (std::uint32_t column : {1u, 200u}) {
        Block& b = doc.blocks.emplace_back();
        b.text = "召开发布会8场。";
        b.pos = {349, column, 0};
    }
    gouji::Section first, second;
    first.first_line = second.first_line = first.last_line = second.last_line = 349;
    first.pos = {349, 1, 0};
    second.pos = {349, 100, 0};
    Narrative n = extract(doc, {first, second});
    REQUIRE(n.figures.size() == 2);
    CHECK(n.figures[0].section == 0);
    CHECK(n.figures[1].section == 1);
}

TEST_CASE("narrative: flattened table cells are not prose") {
    Narrative n = extract(paragraphs({"规章", "73", "3456160965.06(元)", "政府集中采购 57191", "（其中修订 16 件）",
                                      "1.通知公告10条,占比7.19%"}));
    REQUIRE(n.figures.size() == 2);
    CHECK(n.figures[0].text == "10条");
    CHECK(n.figures[0].context == "通知公告");
}

TEST_CASE("narrative: the words after a figure, to its clause's end") {
    Narrative n = extract_text("本年度共受理20件政府信息公开申请。共收到21件政府信息公开申请，上年结转3件。"
                               "共受理22条依申请公开政府信息的申请(其中:网上受理22条)。受理23件，其中政府信息公开申请18件。"
                               "共受理政府信息公开申请24件。办结25件同比增长5%；“不予公开”6件、无法提供7件");
    auto after_of = [&](const char* text) {
        const Figure* f = n.find(text);
        REQUIRE(f);
        return f->after;
    };
    CHECK(after_of("20件") == "政府信息公开申请");
    CHECK(n.find("20件")->context == "受理");
    CHECK(after_of("21件") == "政府信息公开申请");  // up to "，"
    CHECK(after_of("3件") == "");
    CHECK(after_of("22条") == "依申请公开政府信息的申请");  // up to the bracket
    CHECK(after_of("23件") == "");  // its clause ends at "，": 申请 is 18件's noun
    REQUIRE(n.find("18件"));
    CHECK(n.find("18件")->context == "政府信息公开申请");
    CHECK(after_of("24件") == "");
    CHECK(after_of("25件") == "同比增长");  // up to the next number
    CHECK(after_of("6件") == "");
    CHECK(after_of("7件") == "");  // the block's end
}

// The year the figure written `text` names (Figure::year).
int year_of(const Narrative& n, const char* text) {
    const Figure* f = n.find(text);
    REQUIRE(f);
    return f->year;
}

TEST_CASE("narrative: a year inside a sentence names its own clause only") {
    Narrative n;
    gouji::extract_narrative(paragraphs({"依据2019年修订的《条例》，共收到申请121件。",
                                         "本年度共收到申请122件，上年度为100件，上年结转5件。",
                                         "在2022年工作基础上，我县共收到申请123件。",
                                         "共办结118件，上年度办结率为95%。其中予以公开61件。"}),
                             {}, n.figures, n.lists, 2023);
    CHECK(year_of(n, "121件") == 0);
    CHECK(year_of(n, "122件") == 2023);
    CHECK(year_of(n, "100件") == 2022);
    CHECK(year_of(n, "5件") == 2023);
    CHECK(year_of(n, "123件") == 0);
    CHECK(year_of(n, "95%") == 2022);
    CHECK(year_of(n, "61件") == 0);  // 其中 keeps only a year that opened the sentence before
}

TEST_CASE("narrative: a year a sub-heading names is the year of the figures under it that name none") {
    CHECK(gouji::narrative::heading_year("（三）2022年度依申请公开情况") == 2022);
    CHECK(gouji::narrative::heading_year("（七）上年度行政复议、行政诉讼情况") == gouji::narrative::kLastYear);
    CHECK(gouji::narrative::heading_year("（三）与上年度对比情况") == 0);  // a comparison's
    CHECK(gouji::narrative::heading_year("（二）依申请公开") == 0);
    const Document doc = paragraphs({"一、总体情况", "（一）2022年度依申请公开情况", "共收到申请98件，上年结转3件，2023年收到120件。",
                                     "（二）2023年度依申请公开情况", "共收到申请121件。", "（三）2021年工作中存在问题的改进情况",
                                     "公开文件14件。"});
    gouji::Section top;
    top.title = "一、总体情况";
    top.first_block = 0;
    top.end_block = doc.blocks.size();
    for (std::size_t b : {1, 3, 5}) {
        gouji::Section& child = top.children.emplace_back();
        child.title = doc.blocks[b].text;
        child.level = 2;
        child.first_block = b;
        child.end_block = b + 2;
    }
    Narrative n;
    gouji::extract_narrative(doc, {top}, n.figures, n.lists, 2023, {"问题"});
    CHECK(year_of(n, "98件") == 2022);
    CHECK(year_of(n, "3件") == 2022);     // 2022's 上年结转
    CHECK(year_of(n, "120件") == 2023);   // the paragraph's own year
    CHECK(year_of(n, "121件") == 0);      // a heading naming the report's year changes nothing
    CHECK(year_of(n, "14件") == 0);       // the year of the problems, an exception
}

TEST_CASE("narrative: a figure of another year is no part of a list, nor the total its 其中 breaks down") {
    Narrative n;
    gouji::extract_narrative(paragraphs({"本年度共收到申请120件，上年度为100件，上年结转5件，共办结118件。",
                                         "共受理咨询60件，上年度为50件，其中电话咨询45件，上年度为30件，网络咨询15件。",
                                         "2022年共收到申请98件，其中自然人90件，法人8件。"}),
                             {}, n.figures, n.lists, 2023);
    const FigureList* l = n.list("118件", "120件");
    REQUIRE(l);
    CHECK(n.counts(*l) == nums({120, 5}));
    l = n.list("60件", "45件");
    REQUIRE(l);
    CHECK(n.counts(*l) == nums({45, 15}));
    CHECK(l->other_totals.empty());
    l = n.list("98件", "90件");  // a list all of last year's is a list
    REQUIRE(l);
    CHECK(n.counts(*l) == nums({90, 8}));
}

TEST_CASE("narrative: the year a figure's words name") {
    Narrative n;
    gouji::extract_narrative(
        paragraphs({"2022年共收到政府信息公开申请98件，予以公开40件，今年申请量增长22.4%。",
                    "其中予以公开60件（2022年予以公开41件），部分公开10件。",
                    "与上年相比，2022年度予以公开45件、结转下年度继续办理3件，本年度均有所增加。",
                    "2023年共收到申请120件，上年结转5件，较上年增加22件，结转至2024年继续办理7件。",
                    "统计期限自2023年1月1日起至2023年12月31日止，办结118件。",
                    "上一年度被申请行政复议2件；去年被提起行政诉讼1件，前年4件。",
                    "2022年全年制发规范性文件11件，全年制发12件。",
                    "二〇二一年度收到申请80件，以上年份共13件，网上年报公开14件。",
                    "截至2022年底累计公开15件。2022年结转16件至本年度，2022年度结转下年度继续办理17件。",
                    "2021年收到申请50件。其中予以公开30件。本年度收到申请60件。其中予以公开31件。办结32件。"}),
        {}, n.figures, n.lists, 2023);
    CHECK(year_of(n, "98件") == 2022);
    CHECK(year_of(n, "40件") == 2022);     // the sentence's topic, past its comma
    CHECK(year_of(n, "22.4%") == 2023);    // 今年
    CHECK(year_of(n, "60件") == 0);
    CHECK(year_of(n, "41件") == 2022);     // the parenthesis's year
    CHECK(year_of(n, "10件") == 0);        // ends with it
    CHECK(year_of(n, "45件") == 2022);
    CHECK(year_of(n, "3件") == 2022);      // 、 goes on with the clause; 结转下年度 names no year
    CHECK(year_of(n, "120件") == 2023);
    CHECK(year_of(n, "5件") == 2023);      // 上年结转: this year's carried-in applications
    CHECK(year_of(n, "22件") == 2022);     // a comparison, to its clause's end
    CHECK(year_of(n, "7件") == 2023);      // back to the topic; 结转至2024年 names none
    CHECK(year_of(n, "118件") == 0);       // a date's year names none
    CHECK(year_of(n, "2件") == 2022);
    CHECK(year_of(n, "1件") == 2022);      // ；ends the clause, not the topic
    CHECK(year_of(n, "4件") == 2021);      // 前年
    CHECK(year_of(n, "11件") == 2022);     // 2022年全年: that year
    CHECK(year_of(n, "12件") == 2023);
    CHECK(year_of(n, "80件") == 2021);     // in Chinese numerals
    CHECK(year_of(n, "13件") == 2021);     // 以上年 is no year
    CHECK(year_of(n, "14件") == 2021);     // nor 网上年报
    CHECK(year_of(n, "15件") == 0);        // 截至 a year: to, not of
    CHECK(year_of(n, "16件") == 0);        // 2022年结转: carried in
    CHECK(year_of(n, "17件") == 2022);     // 2022年度结转下年度: that year's carry-over
    CHECK(year_of(n, "30件") == 2021);     // 其中 opening a sentence: the sentence before's year
    CHECK(year_of(n, "31件") == 2023);
    CHECK(year_of(n, "32件") == 0);

    Narrative unknown;
    gouji::extract_narrative(paragraphs({"上年收到申请9件，前年8件，今年7件，2022年6件。"}), {}, unknown.figures,
                             unknown.lists);
    CHECK(unknown.find("9件")->year == -1);
    CHECK(unknown.find("8件")->year == -2);
    CHECK(unknown.find("7件")->year == 0);
    CHECK(unknown.find("6件")->year == 2022);
}

TEST_CASE("narrative: context normalization") {
    using gouji::narrative::normalize_context;
    CHECK(normalize_context(U"全市共受理依申请公开") == "受理依申请公开");
    CHECK(normalize_context(U",其中:“同意公开”") == "同意公开");
    CHECK(normalize_context(U"2019年全市共制作、获取政府信息") == "制作、获取政府信息");
    CHECK(normalize_context(U"截至2017年12月31日历年来累计主动公开共计") == "历年来累计主动公开");
    CHECK(normalize_context(U"政府信息总数为") == "政府信息总数");
    CHECK(normalize_context(U"1.通知公告") == "通知公告");
    CHECK(normalize_context(U"共享平台") == "共享平台");
    CHECK(normalize_context(U"社会公共") == "社会公共");
}

// ---- lists: constructed ---------------------------------------------------------

TEST_CASE("narrative: list forms — 其中, X件中, 共计 after the parts, 等, 如下 items") {
    SUBCASE("total, then parts with percentages across the 。") {
        Narrative n = extract_text("全县政府信息总数为1236条。其中：主动公开1190条，占 96.3%；依申请公开8条，占0.6%；不予公开38条，3.1%。");
        const FigureList* l = n.list("1236条", "1190条");
        REQUIRE(l);
        CHECK(n.counts(*l) == nums({1190, 8, 38}));
        CHECK(n.percents(*l) == std::vector<std::string>{"96.3%", "0.6%", "3.1%"});
        CHECK(l->parts[0].label == "主动公开");
        CHECK(n.figures[*l->parts[0].percent].context == "主动公开");
        CHECK_FALSE(l->partial);
    }
    SUBCASE("parts, then 共计") {
        Narrative n = extract_text("当面申请10件、网络申请20件、信函申请5件，共计35件。");
        const FigureList* l = n.list("35件", "10件");
        REQUIRE(l);
        CHECK(n.counts(*l) == nums({10, 20, 5}));
    }
    SUBCASE("等 after the last part, and a stronger stop ends the list") {
        Narrative n = extract_text("共受理申请 749 件，其中自然人申请 741 件，法人申请 5 件等；共办理 718 件，结转下一年 31 件。");
        const FigureList* l = n.list("749 件", "741 件");
        REQUIRE(l);
        CHECK(n.counts(*l) == nums({741, 5}));
        CHECK(l->partial);
        CHECK(n.lists.size() == 1);
    }
    SUBCASE("包括…在内 says the list is partial") {
        Narrative n = extract_text("共发布信息100条，其中包括政策文件30条、解读材料20条在内。");
        const FigureList* l = n.list("100条", "30条");
        REQUIRE(l);
        CHECK(l->partial);
    }
    SUBCASE("units must agree with the total") {
        Narrative n = extract_text("举办在线访谈4期，其中主要负责同志参加访谈4次，发布信息3条。");
        CHECK(n.lists.empty());
    }
    SUBCASE("an enumeration announced by 如下 in the paragraphs after it") {
        Narrative n = extract(paragraphs({"2020年度主动公开类别、数量、占比情况如下:", "1.通知公告10条,占比7.19%",
                                          "2.统计信息72条,占比51.80%", "3.其他应公开信息57条,占比41.01%",
                                          "（二）依申请公开方面", "共受理2件。"}));
        REQUIRE(n.lists.size() == 1);
        CHECK(n.counts(n.lists[0]) == nums({10, 72, 57}));
        CHECK(n.percents(n.lists[0]) == std::vector<std::string>{"7.19%", "51.80%", "41.01%"});
        CHECK(n.figures[*n.lists[0].parts[1].percent].value.decimals == 2);
        CHECK_FALSE(n.lists[0].total);
    }
    SUBCASE("a sentence broken across lines") {
        Narrative n = extract(paragraphs({"市政府共受理政府信息公开申请 1295 件，办结 1191 件（含",
                                          "上年结转 189 件），均在法定期限内答复。其中，予以公开及部",
                                          "分公开 208 件（17.46%），不予公开 20 件（1.68%），其他处理 963 件（",
                                          "80.86%，含申请人",
                                          "主动撤回 157 件）。"},
                                         true));
        const FigureList* l = n.list("1191 件", "208 件");
        REQUIRE(l);
        CHECK(n.counts(*l) == nums({208, 20, 963}));
        CHECK(n.percents(*l) == std::vector<std::string>{"17.46%", "1.68%", "80.86%"});
        CHECK(l->parts[0].label == "予以公开及部分公开");
        CHECK(n.find("208 件")->sentence == n.find("1295 件")->sentence + 1);
    }
    SUBCASE("HTML and DOCX paragraphs are whole: no sentence runs on into the next") {
        Document doc = paragraphs({"办结 1191 件。其中，予以公开及部", "分公开 208 件（17.46%），不予公开 20 件（1.68%）。"}, true);
        doc.format = "docx";
        Narrative whole = extract(doc);
        REQUIRE(whole.find("208 件"));
        CHECK(whole.find("208 件")->context == "分公开");
        CHECK(whole.find("208 件")->sentence == 2);
        doc.format = "text";
        Narrative lines = extract(doc);
        REQUIRE(lines.find("208 件"));
        CHECK(lines.find("208 件")->context == "予以公开及部分公开");
        CHECK(lines.find("208 件")->sentence == 1);
    }
}

TEST_CASE("narrative: a list of shares with no counts") {
    SUBCASE("its parts are the shares, with no total") {
        Narrative n = extract_text("全年主动公开政府信息1254条，从公开渠道看，门户网站占82.3%，微信公众号占比15.7%。");
        REQUIRE(n.lists.size() == 1);
        const FigureList& l = n.lists[0];
        CHECK_FALSE(l.total);
        CHECK(l.other_totals.empty());
        REQUIRE(l.parts.size() == 2);
        CHECK(l.parts[0].label == "门户网站");
        CHECK(l.parts[1].label == "微信公众号");
        CHECK(l.parts[0].percent == l.parts[0].count);
        CHECK(n.percents(l) == std::vector<std::string>{"82.3%", "15.7%"});
        CHECK(l.text == "门户网站占82.3%，微信公众号占比15.7%");
        CHECK_FALSE(l.partial);
    }
    SUBCASE("opened by 其中, X中 or 分别为, which name no count of theirs") {
        for (const char* text : {"收到申请75件，其中网上申请占70%，当面申请占30%。", "办理结果中，予以公开占60%，部分公开占40%。",
                                 "申请方式分别为：网上申请占70%，当面申请占30%。"}) {
            INFO(std::string(text));
            Narrative n = extract_text(text);
            REQUIRE(n.lists.size() == 1);
            CHECK_FALSE(n.lists[0].total);
            CHECK(n.lists[0].parts.size() == 2);
        }
    }
    SUBCASE("partial by its words") {
        CHECK(extract_text("主要渠道为门户网站占60%、微信公众号占35%等。").lists.at(0).partial);
        CHECK(extract_text("主要渠道为门户网站占60%、微信公众号占35%。").lists.at(0).partial);
        CHECK(extract_text("主要有：门户网站占60%，微信公众号占35%。").lists.at(0).partial);
        CHECK_FALSE(extract_text("主要有：门户网站占60%，其他渠道占40%。").lists.at(0).partial);
    }
    SUBCASE("shares past 100 end the list: the next ones are of another whole") {
        Narrative n = extract_text("自然人占90%，法人或其他组织占10%，予以公开占60%，部分公开占40%。");
        REQUIRE(n.lists.size() == 2);
        CHECK(n.percents(n.lists[1]) == std::vector<std::string>{"60%", "40%"});
    }
    SUBCASE("no list") {
        for (const char* text : {
                 "网上申请占比达80%，较上年提高5个百分点。",         // one share
                 "按期办结率100%，群众满意率98.5%。",                 // rates
                 "门户网站约占80%，微信公众号约占15%。",              // rough
                 "门户网站、微信公众号分别占82.3%、15.7%。",          // one clause for both
                 "自然人申请占申请总数的90%，予以公开占办结总数的60%。",  // wholes named apart
                 "予以公开占43.4%，部分公开占6.6%，两项合计占50.0%。",    // the shares of a share
                 "予以公开和部分公开合计占50.0%，其中予以公开占43.4%，部分公开占6.6%。",
                 "门户网站占40%，微信公众号占30%，增长5%，政务微博占30%。",  // broken off
                 "门户网站占82.3%。微信公众号占15.7%。",               // two sentences
                 "其中门户网站公开1032条，占82.3%；微信公众号占15.7%。",  // a count, then a share
             }) {
            INFO(std::string(text));
            CHECK(extract_text(text).lists.empty());
        }
    }
    SUBCASE("a change between two shares is a remark, as between counts") {
        Narrative n = extract_text("本地用户占82.3%，同比增长12.5%，外地用户占17.7%。");
        REQUIRE(n.lists.size() == 1);
        CHECK(n.percents(n.lists[0]) == std::vector<std::string>{"82.3%", "17.7%"});
    }
}

// Blocks at the given source lines, column 1 unless given: the lines between are blank.
struct SourceLine {
    std::string text;
    std::uint32_t line;
    std::uint32_t column = 1;
};
Document lines_at(const std::vector<SourceLine>& lines) {
    Document doc;
    for (const SourceLine& l : lines) {
        Block& b = doc.blocks.emplace_back();
        b.kind = BlockKind::Paragraph;
        b.text = l.text;
        b.pos = {l.line, l.column, 0};
    }
    return doc;
}

TEST_CASE("narrative: a list broken by a line wrap or a paragraph break is read whole") {
    SUBCASE("a numbered item wrapped after its count's comma") {
        Narrative n = extract(lines_at({{"本年度主动公开类别、数量、占比情况如下：", 7},
                                        {"1.通知公告10条,占比20.00%", 9},
                                        {"2.统计信息20条,占比40.00%", 11},
                                        {"3.扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况5条,", 13},
                                        {"占比10.00%", 14},
                                        {"4.工作动态15条,占比30.00%", 16}}));
        REQUIRE(n.lists.size() == 1);
        CHECK(n.counts(n.lists[0]) == nums({10, 20, 5, 15}));
        CHECK(n.percents(n.lists[0]) == std::vector<std::string>{"20.00%", "40.00%", "10.00%", "30.00%"});
    }
    SUBCASE("a numbered item wrapped before its percentage's comma") {
        Narrative n = extract(lines_at({{"2020年度主动公开类别、数量、占比情况如下:", 1, 7},
                                        {"8.行政权力运行1条,占比0.72%", 3, 7},
                                        {"9.扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况3条", 5},
                                        {",占比2.16%", 6},
                                        {"10.工作动态29条,占比20.86%", 8, 7}}));
        REQUIRE(n.lists.size() == 1);
        CHECK(n.counts(n.lists[0]) == nums({1, 3, 29}));
        CHECK(n.percents(n.lists[0]) == std::vector<std::string>{"0.72%", "2.16%", "20.86%"});
    }
    SUBCASE("a sentence broken into paragraphs, blank lines between its pieces") {
        Narrative n = extract(paragraphs({"市政府共受理政府信息公开申请 1295 件，办结 1191 件（含",
                                          "上年结转 189 件），均在法定期限内答复。其中，予以公开及部",
                                          "分公开 208 件（17.46%），不予公开 20 件（1.68%），因本机关",
                                          "不掌握等原因无法提供 564 件（47.36%），属信访、重复申请等",
                                          "不予处理 80 件（6.72%），其他处理 319 件（26.78%）。"}));
        REQUIRE(n.lists.size() == 1);
        const FigureList* l = n.list("1191 件", "208 件");
        REQUIRE(l);
        CHECK(n.counts(*l) == nums({208, 20, 564, 80, 319}));
        CHECK(l->parts[0].label == "予以公开及部分公开");
        CHECK(n.find("189 件")->sentence == n.find("1295 件")->sentence);
    }
    SUBCASE("a title or a label line, unpunctuated, is no broken sentence across a blank line") {
        Narrative n = extract(paragraphs({"某某县统计局2020年政府信息公开工作年度报告",
                                          "全年共受理政府信息公开申请10件，其中自然人申请8件，法人申请2件。"}));
        REQUIRE(n.find("10件"));
        CHECK(n.find("10件")->context == "受理政府信息公开申请");
        CHECK(n.find("10件")->sentence == 1);
    }
    SUBCASE("a parenthesis opened in a paragraph the next does not continue holds what comes before its close") {
        // The second line is indented: a new paragraph to the scanner, whose "）" closes
        // the "（含" of the first. 189 is a remark inside it, never the 其中's total.
        Narrative n = extract(lines_at({{"市政府共受理政府信息公开申请 1295 件，办结 1191 件（含", 1},
                                        {"上年结转 189 件），均在法定期限内答复。其中，予以公开 208 件，不予公开 20 件。", 3, 3}}));
        for (const FigureList& l : n.lists) CHECK_FALSE((l.total && n.figures[*l.total].text == "189 件"));
        CHECK_FALSE(n.list("189 件", "208 件"));
    }
}

TEST_CASE("narrative: a 其中 list keeps the earlier counts of its sentence as other totals") {
    // The other totals, as written, of the list of `text` with this total and first part.
    auto other_totals = [](const std::string& text, const std::string& total, const std::string& first_part) {
        Narrative n = extract_text(text);
        const FigureList* l = n.list(total, first_part);
        REQUIRE(l);
        std::vector<std::string> out;
        for (std::size_t i : l->other_totals) out.push_back(n.figures[i].text);
        return out;
    };
    using Texts = std::vector<std::string>;
    // 收到申请X件，上年结转Y件，其中…: the parts may break down X.
    CHECK(other_totals("本年度共收到政府信息公开申请10件，上年结转3件，其中自然人申请9件，法人或其他组织申请1件。", "3件", "9件") ==
          Texts{"10件"});
    // The count right before 其中 is the only count of its sentence.
    CHECK(other_totals("本年度共收到政府信息公开申请10件，同比增长25%，其中自然人申请9件，法人或其他组织申请1件。", "10件", "9件")
              .empty());
    // Only counts of the total's sentence, unit and depth, that no list has as a part.
    CHECK(other_totals("上年共办理申请6件。本年收到申请10件，其中网络申请6件、当面申请4件；公开信息8条，"
                       "办结12件（含上年结转2件），上年结转3件，其中自然人申请9件，法人或其他组织申请1件。",
                       "3件", "9件") == Texts{"10件", "12件"});
    // A total the text names with X件中 is the one.
    CHECK(other_totals("本年度共收到政府信息公开申请10件，上年结转的3件中，自然人申请2件，法人或其他组织申请1件。", "3件", "2件")
              .empty());
}

TEST_CASE("narrative: 其中 after a count of another unit breaks down the sentence's count in its parts' unit") {
    // The total, as written, of the list whose first part is `first_part`; "" for none.
    auto total_of = [](const std::string& text, const std::string& first_part) {
        Narrative n = extract_text(text);
        for (const auto& l : n.lists)
            if (!l.parts.empty() && n.figures[l.parts.front().count].text == first_part)
                return l.total ? n.figures[*l.total].text : std::string();
        FAIL("no list starts with " << first_part);
        return std::string();
    };
    CHECK(total_of("本年度共收到政府信息公开申请10件，涉及5个部门，其中自然人申请8件，法人或其他组织申请1件。", "8件") ==
          "10件");
    // The nearest such count of the sentence, and the list's other totals are the counts before it.
    Narrative n = extract_text("本年度共收到政府信息公开申请10件，上年结转3件，涉及5个部门，其中自然人申请9件，法人或其他组织申请4件。");
    const FigureList* l = n.list("3件", "9件");
    REQUIRE(l);
    REQUIRE(l->other_totals.size() == 1);
    CHECK(n.figures[l->other_totals[0]].text == "10件");
    // No count of the parts' unit before 其中 in its sentence: the list is still found, its
    // total inferred as for a list that states none (here: none).
    CHECK(total_of("本年度涉及5个部门，其中自然人申请8件，法人或其他组织申请1件。", "8件").empty());
    // Parts of the total's own unit are its parts, as before.
    CHECK(total_of("本年度涉及5个部门，其中市级部门3个，区级部门2个。", "3个") == "5个");
}

TEST_CASE("narrative: parts that reach their total exactly and start again are a second breakdown") {
    // By applicant, then by channel, in one run of parts: two lists of 120.
    Narrative n = extract_text("2023年共收到政府信息公开申请120件，其中自然人申请100件，法人或其他组织申请20件，"
                               "按申请方式分，网上申请80件，当面申请20件，信函申请20件。");
    const FigureList* by_applicant = n.list("120件", "100件");
    const FigureList* by_channel = n.list("120件", "80件");
    REQUIRE(by_applicant);
    REQUIRE(by_channel);
    CHECK(n.counts(*by_applicant) == nums({100, 20}));
    CHECK(n.counts(*by_channel) == nums({80, 20, 20}));
    CHECK(by_applicant->text == "120件，其中自然人申请100件，法人或其他组织申请20件");
    CHECK(by_channel->text == "网上申请80件，当面申请20件，信函申请20件");
    // Three breakdowns, and a break against an earlier count of the sentence (other_totals).
    n = extract_text("收到申请12件，上年结转2件，其中自然人10件，法人2件，网上6件，当面6件，市级9件，区级3件。");
    CHECK(n.lists.size() == 3);
    // A second run that does not reach the total again, or a lone last part: one list.
    for (const char* text : {"收到申请120件，其中自然人申请100件，法人或其他组织申请20件，网上申请80件，当面申请20件，信函申请30件。",
                             "收到申请120件，其中自然人申请100件，法人或其他组织申请20件，网上申请80件，当面申请20件。",
                             "收到申请120件，其中自然人申请100件，法人或其他组织申请20件，网上申请5件。"}) {
        CAPTURE(text);
        n = extract_text(text);
        REQUIRE(n.lists.size() == 1);
        CHECK(n.lists[0].parts.front().label == "自然人申请");
    }
    // Runs whose sums merely come out right: parts named by no words, or the same words
    // again, are one list counting twice what it breaks down.
    for (const char* text : {"开展培训10次，其中5次、5次、5次、5次。",
                             "收到申请10件，其中自然人申请5件，法人申请5件，自然人申请5件，法人申请5件。"}) {
        CAPTURE(text);
        n = extract_text(text);
        REQUIRE(n.lists.size() == 1);
        CHECK(n.lists[0].parts.size() == 4);
    }
    // "其他…" may close each of two breakdowns.
    n = extract_text("收到申请12件，其中自然人申请10件，其他申请2件，网上申请6件，当面申请4件，其他申请2件。");
    CHECK(n.lists.size() == 2);
}

TEST_CASE("narrative: counts that reach the total end a list with shares, whatever the shares say") {
    // A share mistyped (45% for 40%), or left out: the list is 6件 and 4件, as when the shares make 100.
    for (const char* text : {"办结申请10件，其中予以公开6件，占60%；不予公开4件，占45%；行政复议案件2件、行政诉讼案件1件。",
                             "办结申请10件，其中予以公开6件；不予公开4件，占40%；行政复议案件2件、行政诉讼案件1件。",
                             "办结申请10件，其中予以公开6件，占60%；不予公开4件，占40%；行政复议案件2件、行政诉讼案件1件。"}) {
        CAPTURE(text);
        Narrative n = extract_text(text);
        REQUIRE(n.lists.size() == 1);
        CHECK(n.counts(n.lists[0]) == nums({6, 4}));
    }
    // A count that states its share, or a 0, goes on with the list: the rules judge the overshoot.
    Narrative n = extract_text("办结申请10件，其中予以公开6件，占60%；不予公开4件，占45%；其他处理2件，占20%。");
    REQUIRE(n.lists.size() == 1);
    CHECK(n.counts(n.lists[0]) == nums({6, 4, 2}));
    n = extract_text("办结申请10件，其中予以公开6件，占60%；不予公开4件，占45%；其他处理0件。");
    REQUIRE(n.lists.size() == 1);
    CHECK(n.counts(n.lists[0]) == nums({6, 4, 0}));
    // Without shares the words alone end it, as before: parts with the same stops are one list.
    n = extract_text("办结申请10件，其中予以公开6件；不予公开4件；其他处理2件。");
    REQUIRE(n.lists.size() == 1);
    CHECK(n.counts(n.lists[0]) == nums({6, 4, 2}));
}

TEST_CASE("narrative: a count followed by its own 其中 opens a new list once the parts before it reach the total") {
    Narrative n = extract_text("新收申请10件，其中自然人申请8件，法人或其他组织申请2件，办结9件，其中予以公开5件，不予公开4件。");
    const FigureList* applicants = n.list("10件", "8件");
    const FigureList* outcomes = n.list("9件", "5件");
    REQUIRE(applicants);
    REQUIRE(outcomes);
    CHECK(n.counts(*applicants) == nums({8, 2}));
    CHECK(n.counts(*outcomes) == nums({5, 4}));
    // Parts short of the total: the count is a part, and 其中 breaks down that list's total, as before.
    n = extract_text("新收申请10件，其中自然人申请5件，法人申请3件，其他申请2件，其中商业企业1件，科研机构1件。");
    REQUIRE(n.list("10件", "5件"));
    CHECK(n.counts(*n.list("10件", "5件")) == nums({5, 3, 2}));
}

TEST_CASE("narrative: a count in parentheses right after a share is that part's count") {
    Narrative n = extract_text("本年度共办结231件，其中予以公开占55.8%（129件），部分公开占14.3%（33件），其他处理占29.9%（69件）。");
    const FigureList* l = n.list("231件", "129件");
    REQUIRE(l);
    CHECK(n.counts(*l) == nums({129, 33, 69}));
    CHECK(n.percents(*l) == std::vector<std::string>{"55.8%", "14.3%", "29.9%"});
    CHECK(n.find("129件")->context == "予以公开");
    CHECK(l->text == "231件，其中予以公开占55.8%（129件），部分公开占14.3%（33件），其他处理占29.9%（69件）");
    // A remark in the parentheses is no count of the share's.
    n = extract_text("其中门户网站占82.3%（较上年增加300条），微信公众号占17.7%。");
    REQUIRE(n.lists.size() == 1);
    CHECK(n.lists[0].parts.size() == 2);
    CHECK(n.figures[n.lists[0].parts[0].count].value.unit == "%");
}

// The labels of the parts of the list of `total` whose first part is `first`.
std::vector<std::string> part_labels(const Narrative& n, const char* total, const char* first) {
    const FigureList* l = n.list(total, first);
    REQUIRE(l);
    std::vector<std::string> labels;
    for (const auto& part : l->parts) labels.push_back(part.label);
    return labels;
}

TEST_CASE("narrative: 分别占 percentages are the shares of the parts 分别为 lists, in order") {
    Narrative n = extract_text("2023年共收到政府信息公开申请120件，当面、网络、信函申请分别为20件、80件、20件，分别占16.7%、76.7%、16.7%。");
    const FigureList* l = n.list("120件", "20件");
    REQUIRE(l);
    CHECK(n.counts(*l) == nums({20, 80, 20}));
    CHECK(n.percents(*l) == std::vector<std::string>{"16.7%", "76.7%", "16.7%"});
    // The names before 分别为 label the parts, which have no words of their own; as many
    // names as parts, or none is taken.
    using Labels = std::vector<std::string>;
    CHECK(part_labels(n, "120件", "20件") == Labels{"当面", "网络", "信函申请"});
    for (const char* text : {"共收到申请120件，自然人和法人分别为100件、20件。", "共收到申请120件，其中自然人、法人分别为100件、20件。",
                             "共收到申请120件，自然人和法人分别为100件和20件。"}) {
        CAPTURE(text);
        CHECK(part_labels(extract_text(text), "120件", "100件") == Labels{"自然人", "法人"});
    }
    CHECK(part_labels(extract_text("共收到申请120件，自然人、商业企业和科研机构分别为100件、12件、8件。"), "120件", "100件") ==
          Labels{"自然人", "商业企业", "科研机构"});
    CHECK(part_labels(extract_text("共收到申请120件，当面、网络申请分别为20件、80件、20件。"), "120件", "20件") ==
          Labels{"", "", ""});
    // As many percentages as parts, or none is taken.
    for (const char* text : {"共收到申请120件，当面、网络、信函申请分别为20件、80件、20件，分别占16.7%、66.7%。",
                             "共收到申请120件，当面、网络、信函申请分别为20件、80件、20件，分别占16.7%、66.7%、16.7%、1%。",
                             "共收到申请120件，当面、网络、信函申请分别为20件、80件、20件，同比分别增长16.7%、66.7%、16.7%。"}) {
        CAPTURE(text);
        n = extract_text(text);
        l = n.list("120件", "20件");
        REQUIRE(l);
        CHECK(n.percents(*l) == std::vector<std::string>{"-", "-", "-"});
    }
}

TEST_CASE("narrative: the names before 分别为 are the contexts of its counts, in order") {
    // Read as "予以公开120件、部分公开33件", by the outcome rules too.
    using Contexts = std::vector<std::string>;
    const auto contexts = [](const Narrative& n, std::initializer_list<const char*> texts) {
        Contexts out;
        for (const char* text : texts) {
            const Figure* f = n.find(text);
            out.push_back(f ? f->context : "(none)");
        }
        return out;
    };
    Narrative n = extract_text("本年度共办结231件，予以公开、部分公开分别为120件、33件。");
    CHECK(contexts(n, {"231件", "120件", "33件"}) == Contexts{"办结", "予以公开", "部分公开"});
    n = extract_text("本年度共办结231件，其中予以公开和部分公开分别是120件和33件，无法提供43件。");
    CHECK(contexts(n, {"120件", "33件", "43件"}) == Contexts{"予以公开", "部分公开", "无法提供"});
    // A count's share in parentheses is named with it; shares 分别占 keep their own words.
    n = extract_text("本年度共办结231件，予以公开、部分公开分别为120件（51.9%）、33件（14.3%）。");
    CHECK(contexts(n, {"120件", "51.9%", "33件", "14.3%"}) == Contexts{"予以公开", "予以公开", "部分公开", "部分公开"});
    n = extract_text("本年度共办结231件，予以公开、部分公开分别为120件、33件，分别占51.9%、14.3%。");
    CHECK(contexts(n, {"120件", "33件", "51.9%", "14.3%"}) == Contexts{"予以公开", "部分公开", "分别占", ""});
    // Not as many counts as names: which is which is unclear, and none is named.
    for (const char* text : {"本年度共办结231件，予以公开、部分公开、不予公开分别为120件、33件。",
                             "本年度共办结231件，予以公开、部分公开分别为120件、33件、5件。",
                             "本年度共办结231件，予以公开、部分公开分别为120件；33件另行处理。"}) {
        CAPTURE(text);
        n = extract_text(text);
        CHECK(contexts(n, {"120件", "33件"}) == Contexts{"", ""});
    }
    // Two breakdowns in one sentence, each named by its own names.
    n = extract_text("共收到申请120件，其中自然人、法人分别为100件、20件，网上申请、当面申请分别为80件、40件；上年结转5件。");
    CHECK(contexts(n, {"100件", "20件", "80件", "40件", "5件"}) ==
          Contexts{"自然人", "法人", "网上申请", "当面申请", "上年结转"});
}

TEST_CASE("narrative: a second 分别为 breakdown in the sentence breaks down its total, not the last part before it") {
    for (const char* text : {"共收到申请120件，其中自然人、法人分别为100件、20件，网上申请、当面申请分别为80件、40件；上年结转5件。",
                             "共收到申请120件，自然人、法人分别为100件、20件，网上、当面申请分别为80件、30件。",
                             "共收到申请120件，其中自然人100件，法人20件，网上、当面申请分别为80件、50件。"}) {
        CAPTURE(text);
        Narrative n = extract_text(text);
        REQUIRE(n.list("120件", "100件"));
        CHECK(n.list("120件", "80件"));  // whatever its parts add up to
        CHECK_FALSE(n.list("20件", "80件"));
    }
    // Parts that make up the last part exactly, and not the total, break that part down.
    Narrative n = extract_text("共收到申请120件，其中自然人100件，法人20件，商业企业、科研机构分别为15件、5件。");
    const FigureList* l = n.list("20件", "15件");
    REQUIRE(l);
    CHECK(n.counts(*l) == nums({15, 5}));
}

// ---- lists: the corpus ---------------------------------------------------------

TEST_CASE("narrative: seed 000 泉州市 2019 — channels and outcomes of 1206") {
    auto n = extract_corpus("seeds", "000_831a942c0d0dfd8c.txt");
    if (!n) return;
    const FigureList* channels = n->list("1206件", "500件");
    REQUIRE(channels);
    CHECK(n->counts(*channels) == nums({500, 464, 242}));
    CHECK(channels->partial);  // 受理方式主要包括
    const FigureList* outcomes = n->list("1206件", "616件");
    REQUIRE(outcomes);
    CHECK(n->counts(*outcomes) == nums({616, 105, 83, 242, 95, 33, 32}));
    CHECK(outcomes->parts[0].label == "予以公开");
    CHECK(outcomes->parts[6].label == "告知通过其他途径办理");
    CHECK_FALSE(outcomes->partial);
}

TEST_CASE("narrative: seed 001 建宁县 2020 — 1236, the eleven categories, 8 vs 8 + 1") {
    auto n = extract_corpus("seeds", "001_64c08c7c78b4b61b.txt");
    if (!n) return;
    const FigureList* kinds = n->list("1236条", "1190条");
    REQUIRE(kinds);
    CHECK(n->counts(*kinds) == nums({1190, 8, 38}));
    CHECK(n->percents(*kinds) == std::vector<std::string>{"96.3%", "0.6%", "3.1%"});
    const FigureList* categories = n->list("1190条", "102条");
    REQUIRE(categories);
    CHECK(categories->parts.size() == 11);
    CHECK(n->percents(*categories)[6] == "5.1%");
    CHECK(n->counts(*categories)[6] == 60);
    CHECK(categories->parts[10].label == "其他类信息");
    CHECK_FALSE(categories->partial);
    const FigureList* channels = n->list("8件", "8件");
    REQUIRE(channels);
    CHECK(n->counts(*channels) == nums({8, 1}));  // the verified error: 8 + 1 ≠ 8
    CHECK(n->percents(*channels) == std::vector<std::string>{"88.9%", "11.1%"});
    CHECK(channels->parts[0].label == "当面申请");
}

TEST_CASE("narrative: seed 002 晋江市 2020 — 264 = 259 + 5 is stated, not listed") {
    auto n = extract_corpus("seeds", "002_0ec7f487509b9c4f.txt");
    if (!n) return;
    const Figure* received = n->find("264 件");
    REQUIRE(received);
    CHECK(received->context == "各级各部门受理信息公开申请");
    REQUIRE(n->find("5 件"));
    CHECK(n->find("5 件")->context == "结转至下年度继续办理数");
    REQUIRE(n->find("近20场"));
    CHECK(n->find("近20场")->value.approximate);
    CHECK(n->lists.empty());
}

TEST_CASE("narrative: seed 003 厦门市 2017 — 本级/下级, channels with 0.0007%, partial categories") {
    auto n = extract_corpus("seeds", "003_facd0ed23eb95129.txt");
    if (!n) return;
    const FigureList* year = n->list("42938条", "31776条");
    REQUIRE(year);
    CHECK(n->counts(*year) == nums({31776, 11204}));
    const FigureList* cumulative = n->list("540432条", "414496条");
    REQUIRE(cumulative);
    CHECK(n->counts(*cumulative) == nums({414496, 125978}));
    const FigureList* requests = n->list("6503件", "1259件");
    REQUIRE(requests);
    CHECK(n->counts(*requests) == nums({1259, 5253}));
    const FigureList* levels = n->list("1370件", "265件");
    REQUIRE(levels);
    CHECK(n->counts(*levels) == nums({265, 1105}));
    const FigureList* channels = n->list("1370件", "246件");
    REQUIRE(channels);
    CHECK(n->counts(*channels) == nums({246, 797, 1, 326}));
    CHECK(n->percents(*channels) == std::vector<std::string>{"17.96%", "58.18%", "0.0007%", "23.8%"});
    CHECK(n->figures[*channels->parts[2].percent].value.decimals == 4);
    const FigureList* replies = n->list("1366件", "399件");
    REQUIRE(replies);
    CHECK(n->counts(*replies) == nums({399, 88, 119, 373}));
    CHECK(n->percents(*replies)[2] == "14.57%");
    const FigureList* categories = n->list("", "2429条");
    REQUIRE(categories);
    CHECK(categories->parts.size() == 9);
    CHECK(categories->partial);  // 主要有
    REQUIRE(n->find("48起"));
    CHECK(n->find("48起")->value.unit == "起");
}

TEST_CASE("narrative: seed 004 泉州市统计局 2020 — 233, 139, 1160, twelve categories, 18") {
    auto n = extract_corpus("seeds", "004_361d8fbe3341eb2a.txt");
    if (!n) return;
    const FigureList* made = n->list("233条", "139条");
    REQUIRE(made);
    CHECK(n->counts(*made) == nums({139, 34, 60}));
    CHECK(n->percents(*made) == std::vector<std::string>{"-", "-", "-"});  // 全文电子化率 is not a share
    const FigureList* year = n->list("139条", "139条");
    REQUIRE(year);
    CHECK(n->counts(*year) == nums({139, 0}));
    const FigureList* cumulative = n->list("1160条", "1154条");
    REQUIRE(cumulative);
    CHECK(n->counts(*cumulative) == nums({1154, 6}));
    const FigureList* categories = n->list("", "10条");
    REQUIRE(categories);
    REQUIRE(categories->parts.size() == 12);
    double counts = 0, shares = 0;
    for (const auto& p : categories->parts) {
        counts += n->figures[p.count].value.number;
        REQUIRE(p.percent);
        CHECK(n->figures[*p.percent].value.decimals == 2);
        shares += n->figures[*p.percent].value.number;
    }
    CHECK(counts == 139);
    CHECK(shares == doctest::Approx(100.0));
    const FigureList* replies = n->list("18件", "5件");
    REQUIRE(replies);
    CHECK(n->counts(*replies) == nums({5, 1, 1, 11}));
    CHECK(replies->parts[3].label == "无法提供数");
}

TEST_CASE("narrative: real reports — pingtan, shanghai, shuyang") {
    SUBCASE("pingtan-2017: 2122 = 1509 + 613 across the 。, sixteen categories") {
        auto n = extract_corpus("real", "pingtan-2017.html");
        if (!n) return;
        const FigureList* l = n->list("2122条", "1509条");
        REQUIRE(l);
        CHECK(n->counts(*l) == nums({1509, 613}));
        CHECK(n->percents(*l) == std::vector<std::string>{"71.11%", "28.89%"});
        const FigureList* categories = n->list("", "205条");
        REQUIRE(categories);
        CHECK(categories->parts.size() == 16);
        CHECK_FALSE(categories->partial);  // the last is 其他信息
    }
    SUBCASE("pingtan-2019: the eleven categories after 共公布政府信息2599条") {
        auto n = extract_corpus("real", "pingtan-2019.html");
        if (!n) return;
        const FigureList* l = n->list("2599条", "25条");
        REQUIRE(l);
        REQUIRE(l->parts.size() == 11);
        double sum = 0;
        for (double v : n->counts(*l)) sum += v;
        CHECK(sum == 2533);
        CHECK(l->parts.back().label == "其他应主动公开政府信息");
        CHECK_FALSE(l->partial);
    }
    SUBCASE("shanghai-office-2025: percentages in parentheses after the counts") {
        auto n = extract_corpus("real", "shanghai-office-2025.md");
        if (!n) return;
        const FigureList* l = n->list("1191 件", "208 件");
        REQUIRE(l);
        CHECK(n->counts(*l) == nums({208, 20, 564, 80, 319}));
        CHECK(n->percents(*l) == std::vector<std::string>{"17.46%", "1.68%", "47.36%", "6.72%", "26.78%"});
    }
    SUBCASE("shuyang-2025: 749 = 741 + 8, then a new statement") {
        auto n = extract_corpus("real", "shuyang-2025.txt");
        if (!n) return;
        const FigureList* l = n->list("749 件", "741 件");
        REQUIRE(l);
        CHECK(n->counts(*l) == nums({741, 8}));
    }
}

TEST_CASE("narrative: hostile text stays in bounds") {
    auto check_bounds = [](const Document& doc) {
        Narrative n = extract(doc);
        for (const FigureList& l : n.lists) {
            if (l.total) CHECK(*l.total < n.figures.size());
            for (const auto& p : l.parts) CHECK(p.count < n.figures.size());
            // Each list of "其中A类1件，占0%。" once took the other totals of the one before:
            // the 20000th carried 20000 of them, and finding the lists took minutes.
            CHECK(l.other_totals.size() <= 64);
        }
    };
    std::string shares, no_stops, parens, titles;
    for (int i = 0; i < 20000; ++i) shares += "其中A类1件，占0%。";            // a list that never completes
    for (int i = 0; i < 20000; ++i) no_stops += "信息12条其中";                 // one endless sentence
    for (int i = 0; i < 20000; ++i) parens += "（其中5件";                      // ever deeper parentheses
    for (int i = 0; i < 20000; ++i) titles += "《3件";                          // titles never closed
    std::vector<std::string> lines(5000, "没有标点的一行文字里有数字12件和更多的文字");  // one sentence over 5000 lines
    for (const Document& doc : {paragraphs({shares}), paragraphs({no_stops}), paragraphs({parens}), paragraphs({titles}),
                                paragraphs(lines, true), paragraphs({std::string("\xff\xfe" "12件" "\xe4\xb8")})})
        check_bounds(doc);
}

// Throughput is measured by bench/; here the figures of a large input must be right.
TEST_CASE("narrative: every paragraph of a large plain text yields its lists") {
    std::string paragraph =
        "2017年，共收到政府信息公开申请1370件，其中各级政府收到265件，各级政府工作部门收到1105件。当面申请246件，占17.96%；"
        "以网上提交表单形式申请797件，占58.18%；以传真形式申请1件，占0.0007%；以信函形式申请326件，占23.8%。"
        "认真贯彻落实国办《2017年政务公开工作要点》（国办发〔2017〕24号）和省政府办《任务分解表》通知精神，始终按照“五公开”要求，"
        "加强组织领导，不断完善政务公开工作制度，着力提升政务公开标准化、规范化水平，取得了一定工作实效。";
    std::vector<std::string> texts(2000, paragraph);
    Narrative n = extract(paragraphs(texts));
    CHECK(n.lists.size() == 2 * texts.size());
    const FigureList* by_level = n.list("1370件", "265件");
    REQUIRE(by_level);
    CHECK(n.counts(*by_level) == nums({265, 1105}));
    CHECK(n.all("1370件").size() == texts.size());
    CHECK(n.figures.back().pos.line == 2 * texts.size() - 1);
}

// ---- scale: long paragraphs, percentages past 100, numbers past a double ----

// The list finder takes each list's text from its block again: decoding the block
// from its start for every list made one long paragraph quadratic.
TEST_CASE("narrative scale: one paragraph of 20000 lists is decoded a bounded number of times") {
    const std::string sentence = "本年予以公开5件，其中网络申请3件、信函申请2件，占40%。";
    constexpr int kRepeats = 20000;
    std::string paragraph;
    for (int i = 0; i < kRepeats; ++i) paragraph += sentence;
    const std::size_t characters = gouji::char_count(paragraph);

    const std::size_t before = gouji::narrative::decoded_characters();
    Narrative n = extract(paragraphs({"政府信息公开工作年度报告", paragraph}));
    const std::size_t decoded = gouji::narrative::decoded_characters() - before;

    // The scan decodes the paragraph once; the list finder, doubling how far it reads,
    // at most twice more. A decode per list would be thousands of times the text.
    CHECK(decoded <= 4 * characters);
    CHECK(n.figures.size() == 4 * kRepeats);
    REQUIRE(n.lists.size() == kRepeats);
    for (std::size_t k : {std::size_t{0}, std::size_t{1}, std::size_t{kRepeats / 2}, std::size_t{kRepeats - 1}}) {
        const FigureList& l = n.lists[k];
        CHECK(l.text == "5件，其中网络申请3件、信函申请2件，占40%");
        REQUIRE(l.total);
        CHECK(n.figures[*l.total].text == "5件");
        CHECK(n.counts(l) == nums({3, 2}));
        CHECK(l.pos.line == 3);
        CHECK(l.pos.column == 1 + k * gouji::char_count(sentence) + 6);  // after 本年予以公开
    }
}

TEST_CASE("narrative scale: lists spread over long paragraphs and lines keep their text") {
    std::string first, second;
    for (int i = 0; i < 3000; ++i) first += "收到申请8件，其中当面申请6件，占75%，网络申请2件，占25%。";
    for (int i = 0; i < 3000; ++i) second += "共发布信息100条，其中政策文件30条、解读材料70条。";
    const std::size_t characters = gouji::char_count(first) + gouji::char_count(second);
    const std::size_t before = gouji::narrative::decoded_characters();
    Narrative n = extract(paragraphs({first, second}));
    CHECK(gouji::narrative::decoded_characters() - before <= 4 * characters);
    REQUIRE(n.lists.size() == 6000);
    CHECK(n.lists[2999].text == "8件，其中当面申请6件，占75%，网络申请2件，占25%");
    CHECK(n.lists[3000].text == "100条，其中政策文件30条、解读材料70条");
    CHECK(n.lists[5999].text == "100条，其中政策文件30条、解读材料70条");
    CHECK(n.lists[5999].pos.line == 3);
}

// The percentages of a list stop it when they make 100; a wrong one that takes them
// past 100 early says nothing about where the list ends.
TEST_CASE("narrative scale: percentages past 100 before the last part do not end the list") {
    Narrative n = extract(paragraphs(
        {"全年共办结52件，其中予以公开25件（占58.08%），部分公开6件（占11.54%），不予公开3件（占5.77%），"
         "无法提供12件（占23.08%），不予处理2件（占3.85%），其他处理4件（占7.69%）。"}));
    REQUIRE(n.lists.size() == 1);
    const FigureList& l = n.lists.front();
    REQUIRE(l.total);
    CHECK(n.figures[*l.total].text == "52件");
    CHECK(n.counts(l) == nums({25, 6, 3, 12, 2, 4}));
    CHECK(n.percents(l) == std::vector<std::string>{"58.08%", "11.54%", "5.77%", "23.08%", "3.85%", "7.69%"});
    CHECK(l.parts.back().label == "其他处理");
    CHECK(l.text ==
          "52件，其中予以公开25件（占58.08%），部分公开6件（占11.54%），不予公开3件（占5.77%），无法提供12件（占23.08%），"
          "不予处理2件（占3.85%），其他处理4件（占7.69%）");

    SUBCASE("percentages that make 100 still end it") {
        Narrative m = extract(paragraphs({"收到申请10件，其中当面申请5件，占50%，网络申请5件，占50%，办结10件。"}));
        REQUIRE(m.lists.size() == 1);
        CHECK(m.counts(m.lists.front()) == nums({5, 5}));
    }
    SUBCASE("within a point of 100 by rounding") {
        Narrative m = extract(paragraphs({"收到申请3件，其中当面申请1件，占34%，网络申请1件，占33%，信函申请1件，占34%，办结3件。"}));
        REQUIRE(m.lists.size() == 1);
        CHECK(m.counts(m.lists.front()) == nums({1, 1, 1}));
    }
    SUBCASE("a sentence end still ends a list whose percentages are past 100") {
        Narrative m = extract(paragraphs({"收到申请10件，其中当面申请5件，占60%，网络申请5件，占50%。办结10件，占100%。"}));
        REQUIRE(m.lists.size() == 1);
        CHECK(m.counts(m.lists.front()) == nums({5, 5}));
    }
}

// A double holds up to about 1.8e308: more digits than that read as infinity, which
// a message printed as "inf" and JSON as null. Such a cell is unparseable.
TEST_CASE("narrative scale: numbers too large for a double are unparseable cells") {
    const std::string nines(400, '9');
    for (const std::string& text : {nines, "-" + nines, "+" + nines, nines + "件", nines + ".5", nines + "(元)",
                                    std::string(305, '9') + "万多", gouji::to_utf8(std::u32string(400, U'９'))}) {
        CAPTURE(text.size());
        gouji::Value v = gouji::parse_cell_value(text);
        CHECK_FALSE(v.has_number());
        CHECK(v.missing == gouji::MissingReason::Unparseable);
        CHECK(v.beyond_range);  // written where a number goes: the binder places it
    }
    CHECK_FALSE(gouji::parse_cell_value("abc").beyond_range);
    // The largest finite ones a double holds as written (15 significant digits, zeros
    // after them not counting) are numbers still; 308 nines are not (test_model_stages.cpp).
    gouji::Value big = gouji::parse_cell_value("1" + std::string(307, '0'));
    CHECK(big.has_number());
    CHECK(std::isfinite(big.number));
    CHECK(gouji::parse_cell_value(std::string(308, '9')).missing == gouji::MissingReason::Unparseable);
    gouji::Value wan = gouji::parse_cell_value("1" + std::string(300, '0') + "余万");
    CHECK(wan.has_number());
    CHECK(std::isfinite(wan.number));
}

TEST_CASE("narrative scale: prose numbers too large for a double are no figures") {
    const std::string nines(400, '9');
    Narrative n = extract(paragraphs({"本年收到申请" + nines + "件，其中网络申请" + nines + "件、信函申请2件。",
                                      "采购金额" + nines + "亿元，" + std::string(16, '9') + "亿人次。"}));
    std::string texts;
    for (const Figure& f : n.figures) {
        CAPTURE(f.text);
        CHECK(std::isfinite(f.value.number));
        texts += f.text + ";";
    }
    // Past 16 digits a run is no figure at all: only the short ones are.
    CHECK(texts == "2件;" + std::string(16, '9') + "亿人次;");
}
