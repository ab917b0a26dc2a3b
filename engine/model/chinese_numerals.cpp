// Chinese numerals through ICU's rule-based number format (zh spell-out rules).
// ICU parses with every public rule set of a formatter and keeps the longest
// match, so the zh formatter as shipped reads "一二" as 12 (the year-digit rules)
// and "二〇二〇" as a count. Two formatters are built from the zh rules instead:
// one with only the cardinal rule sets, one with only the year rule sets.
#include <unicode/fmtable.h>
#include <unicode/parsepos.h>
#include <unicode/rbnf.h>
#include <unicode/unistr.h>

#include <cmath>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

#include "engine/model/narrative.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

std::unique_ptr<icu::RuleBasedNumberFormat> zh_formatter_with(const std::set<std::string>& rule_sets) {
    UErrorCode status = U_ZERO_ERROR;
    icu::RuleBasedNumberFormat shipped(icu::URBNF_SPELLOUT, icu::Locale("zh"), status);
    if (U_FAILURE(status)) return nullptr;
    std::string all;
    shipped.getRules().toUTF8String(all);
    // getRules() writes one rule per line, each rule set opening with "%name:".
    std::istringstream lines(all);
    std::string line, kept;
    bool keep = false;
    while (std::getline(lines, line)) {
        if (!line.empty() && line[0] == '%') keep = rule_sets.count(line.substr(0, line.find(':'))) > 0;
        if (keep) kept += line + '\n';
    }
    UParseError parse_error;
    status = U_ZERO_ERROR;
    auto formatter = std::make_unique<icu::RuleBasedNumberFormat>(icu::UnicodeString::fromUTF8(kept),
                                                                  icu::Locale("zh"), parse_error, status);
    if (U_FAILURE(status)) return nullptr;
    return formatter;
}

const std::set<std::string>& numbering_sets() {
    static const std::set<std::string> sets{"%spellout-numbering", "%%number2", "%%number3", "%%number4",
                                            "%%number5", "%%number8", "%%number13"};
    return sets;
}

icu::RuleBasedNumberFormat* count_formatter() {
    // Formatters are not shareable between threads; each thread builds its own once.
    thread_local std::unique_ptr<icu::RuleBasedNumberFormat> formatter = [] {
        std::set<std::string> sets = numbering_sets();
        for (const char* name :
             {"%spellout-cardinal", "%%cardinal2", "%%cardinal3", "%%cardinal4", "%%cardinal5", "%%cardinal8",
              "%%cardinal13", "%spellout-cardinal-alternate2", "%%cardinal-alternate2-2", "%%cardinal-alternate2-3",
              "%%cardinal-alternate2-4", "%%cardinal-alternate2-5", "%%cardinal-alternate2-8",
              "%%cardinal-alternate2-13"})
            sets.insert(name);
        return zh_formatter_with(sets);
    }();
    return formatter.get();
}

icu::RuleBasedNumberFormat* year_formatter() {
    thread_local std::unique_ptr<icu::RuleBasedNumberFormat> formatter = [] {
        std::set<std::string> sets = numbering_sets();
        sets.insert("%spellout-numbering-year");
        sets.insert("%%spellout-numbering-year-digits");
        return zh_formatter_with(sets);
    }();
    return formatter.get();
}

// The whole text as one number, or nullopt.
std::optional<long long> parse_whole(icu::RuleBasedNumberFormat* formatter, std::u32string_view text) {
    if (!formatter) return std::nullopt;
    icu::UnicodeString input =
        icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(text.data()), static_cast<int32_t>(text.size()));
    icu::Formattable result;
    icu::ParsePosition position(0);
    formatter->parse(input, result, position);
    if (position.getErrorIndex() >= 0 || position.getIndex() != input.length()) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    double value = result.getDouble(status);
    if (U_FAILURE(status) || value < 0 || value != std::floor(value) || value > 9e15) return std::nullopt;
    return static_cast<long long>(value);
}

bool is_digit_char(char32_t c) { return std::u32string_view(U"〇零一二两三四五六七八九").find(c) != std::u32string_view::npos; }

// chinese_numeral_value reads "一二" as 2: only texts without adjacent digits are left to it.
bool fallback_can_read(std::u32string_view text) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i)
        if (is_digit_char(text[i]) && is_digit_char(text[i + 1]) && text[i] != U'零' && text[i] != U'〇') return false;
    return true;
}

// "两百五", "三百二": spoken short forms (250, 320) that the rules read as 205, 302.
bool abbreviates_last_place(std::u32string_view text) {
    if (text.size() < 3 || !is_digit_char(text.back()) || text.back() == U'零' || text.back() == U'〇') return false;
    char32_t place = text[text.size() - 2];
    return place == U'百' || place == U'千' || place == U'万' || place == U'亿';
}

// The counts a report spells most ("三", "两", "十二", "二十五") read without ICU:
// building the formatters costs more than a report's whole narrative stage, and a
// report that spells no other count never builds them. Gives what the count
// formatter gives for every text it reads (checked against it for every text of
// up to three numerals); nullopt for the others, which are left to ICU.
std::optional<long long> simple_count(std::u32string_view text) {
    auto digit = [](char32_t c) {
        constexpr std::u32string_view digits = U"一二三四五六七八九";
        std::size_t k = digits.find(c);
        return k == std::u32string_view::npos ? 0 : static_cast<int>(k) + 1;
    };
    if (text.size() == 1) {
        if (text[0] == U'十') return 10;
        if (text[0] == U'两') return 2;
        if (int d = digit(text[0])) return d;
        return std::nullopt;
    }
    if (text.size() == 2 && text[0] == U'十' && digit(text[1]) > 0) return 10 + digit(text[1]);
    if (text.size() == 2 && text[1] == U'十' && digit(text[0]) > 1) return 10 * digit(text[0]);
    if (text.size() == 3 && text[1] == U'十' && digit(text[0]) > 1 && digit(text[2]) > 0)
        return 10 * digit(text[0]) + digit(text[2]);
    return std::nullopt;
}

}  // namespace

std::optional<long long> parse_chinese_count(std::u32string_view text) {
    if (text.empty() || text.size() > 24 || abbreviates_last_place(text)) return std::nullopt;
    if (std::optional<long long> simple = simple_count(text)) return simple;
    // The same few numerals recur through a report; ICU's parse costs tens of microseconds.
    thread_local std::unordered_map<std::u32string, std::optional<long long>> cache;
    auto hit = cache.find(std::u32string(text));
    if (hit != cache.end()) return hit->second;
    std::optional<long long> value = parse_whole(count_formatter(), text);
    if (!value && fallback_can_read(text)) {
        long long v = chinese_numeral_value(text);
        if (v >= 0) value = v;
    }
    if (cache.size() > 4096) cache.clear();
    cache.emplace(std::u32string(text), value);
    return value;
}

std::optional<int> parse_chinese_year(std::u32string_view text) {
    // No year from 1900 on is spelt in fewer than four characters ("三年", "十年" are
    // spans of time): those never reach ICU, whose rules take a few million
    // instructions to build and a few hundred thousand to try, and the narrative asks
    // of every "…年" in the prose.
    if (text.size() < 4 || text.size() > 8) return std::nullopt;
    std::u32string digits(text);
    // Year-digit rules spell zero 〇 only; "○" (a circle) is how many documents type it.
    for (char32_t& c : digits) c = c == U'零' || c == U'○' ? U'〇' : c;
    // Digit by digit ("二〇二二"), as nearly every year is written: read without ICU.
    std::optional<long long> value;
    if (digits.size() == 4) {
        static constexpr std::u32string_view order = U"〇一二三四五六七八九";
        long long v = 0;
        for (char32_t c : digits) {
            const std::size_t d = order.find(c);
            if (d == std::u32string_view::npos) {
                v = -1;
                break;
            }
            v = v * 10 + static_cast<long long>(d);
        }
        if (v >= 0) value = v;
    }
    if (!value) value = parse_whole(year_formatter(), digits);
    if (!value || *value < 1900 || *value > 2199) return std::nullopt;
    return static_cast<int>(*value);
}

}  // namespace gouji
