// Narrative stage at scale and at the edges of its numbers: a paragraph holding
// thousands of lists, a list whose wrong percentages pass 100 before its last
// part, and numbers too large for a double, in prose and in cells.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/model/narrative.hpp"
#include "engine/model/narrative_scan.hpp"
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

// One paragraph per string, a blank line between them, as the plain-text reader gives them.
Document paragraphs(const std::vector<std::string>& texts) {
    Document doc;
    std::uint32_t line = 1;
    for (const std::string& t : texts) {
        Block& b = doc.blocks.emplace_back();
        b.kind = BlockKind::Paragraph;
        b.text = t;
        b.pos = {line, 1, 0};
        line += 2;
    }
    return doc;
}

Narrative extract(const Document& doc) {
    Narrative n;
    gouji::extract_narrative(doc, {}, n.figures, n.lists);
    return n;
}

std::vector<double> nums(std::initializer_list<double> v) { return v; }

}  // namespace

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
    // The largest finite ones are numbers still.
    gouji::Value big = gouji::parse_cell_value(std::string(308, '9'));
    CHECK(big.has_number());
    CHECK(std::isfinite(big.number));
    gouji::Value wan = gouji::parse_cell_value(std::string(300, '9') + "余万");
    CHECK(wan.has_number());
    CHECK(std::isfinite(wan.number));
}

TEST_CASE("narrative scale: prose numbers too large for a double are no figures") {
    const std::string nines(400, '9');
    Narrative n = extract(paragraphs({"本年收到申请" + nines + "件，其中网络申请" + nines + "件、信函申请2件。",
                                      "采购金额" + nines + "亿元，" + std::string(16, '9') + "亿人次。"}));
    for (const Figure& f : n.figures) {
        CAPTURE(f.text);
        CHECK(std::isfinite(f.value.number));
    }
}
