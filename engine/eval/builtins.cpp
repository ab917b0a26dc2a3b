// The built-in functions: one table entry each (name, arity, binder form, usage,
// typing, evaluation). Aggregates and quantifiers follow three-valued logic: a
// missing element makes the result missing unless the known elements decide it
// (all: one false is enough; any: one true is enough).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <optional>
#include <unordered_map>

#include <unicode/regex.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/unistr.h>

#include "engine/eval/builtins.hpp"
#include "engine/eval/compiled_regex.hpp"
#include "gouji/rules.hpp"
#include "engine/eval/context.hpp"
#include "engine/eval/sections.hpp"
#include "gouji/text.hpp"
#include "gouji/value.hpp"

namespace gouji::program {

namespace {

using eval::Context;
using eval::List;
using eval::Missing;
using eval::Number;
using eval::Value;
using types::Kind;
using types::Type;

// ---- typing helpers ----------------------------------------------------------

Type number_type() { return Type::of(Kind::Number); }
Type bool_type() { return Type::of(Kind::Bool); }
Type string_type() { return Type::of(Kind::String); }

// Whether argument `arg` is `ok`; if not, and no argument was at fault before, says
// what it must be (`must`: "a number") against what it is.
bool need(bool ok, ArgumentError& error, std::size_t arg, const Type& is, std::string_view must) {
    if (!ok && error.empty()) error = {arg, "must be " + std::string(must) + ", not " + types::describe(is)};
    return ok;
}

bool need_numeric(const std::vector<Type>& a, std::size_t i, ArgumentError& error) {
    return need(types::is_numeric(a[i]), error, i, a[i], "a number");
}

bool need_list(const std::vector<Type>& a, std::size_t i, ArgumentError& error) {
    return need(types::is_list(a[i]), error, i, a[i], "a list");
}

Type numbers_in_list(const std::vector<Type>& a, ArgumentError& error) {
    if (need_list(a, 0, error) && a[0].element)
        need(types::is_numeric(*a[0].element), error, 0, a[0], "a list of numbers");
    return number_type();
}

Type conditions_in_list(const std::vector<Type>& a, ArgumentError& error) {
    if (need_list(a, 0, error) && a[0].element)
        need(types::is_condition(*a[0].element), error, 0, a[0], "a list of conditions");
    return bool_type();
}

// Of a binder call f(x in list, body): the body, its second argument.
Type binder_number(const std::vector<Type>& a, ArgumentError& error) {
    need_numeric(a, 1, error);
    return number_type();
}

Type binder_condition(const std::vector<Type>& a, ArgumentError& error) {
    need(types::is_condition(a[1]), error, 1, a[1], "a condition");
    return bool_type();
}

Type all_numeric(const std::vector<Type>& a, ArgumentError& error) {
    for (std::size_t i = 0; i < a.size(); ++i) need_numeric(a, i, error);
    return number_type();
}

Type texts_to(const std::vector<Type>& a, ArgumentError& error, Type result) {
    for (std::size_t i = 0; i < a.size(); ++i) need(types::is_text(a[i]), error, i, a[i], "text");
    return result;
}

// ---- evaluation helpers --------------------------------------------------------

Value arg(Context& ctx, const Node& node, std::size_t i) { return eval::evaluate(ctx, node.kids[i]); }
// arg() without copying a variable's, let's or constant's value (eval::evaluate_ref).
const Value& arg_ref(Context& ctx, const Node& node, std::size_t i, std::optional<Value>& scratch) {
    return eval::evaluate_ref(ctx, node.kids[i], scratch);
}

// An element of a list of numbers as a number (a figure reads as its number);
// otherwise nullopt, and what it lacked is merged into `missing`.
std::optional<Number> element_number(Context& ctx, const Value& e, Missing& missing) {
    if (e.is<Number>()) return e.as<Number>();
    Value n = e.is<eval::FigureRef>() ? eval::figure_number(ctx, e.as<eval::FigureRef>().index) : e;
    if (n.is<Number>()) return n.as<Number>();
    missing = eval::merge_missing(missing, n.missing() ? n : eval::missing_value("a list element is not a number"));
    return std::nullopt;
}

// The numbers of a list; a missing or non-numeric element makes it missing.
std::variant<std::vector<Number>, Missing> numbers_of(Context& ctx, const Value& v) {
    if (v.missing()) return v.as<Missing>();
    if (!v.is<List>()) return Missing{{"expected a list of numbers"}};
    std::vector<Number> out;
    out.reserve(v.as<List>()->size());
    Missing missing;
    bool any_missing = false;
    for (const auto& e : *v.as<List>())
        if (auto n = element_number(ctx, e, missing)) out.push_back(*n);
        else any_missing = true;
    if (any_missing) return missing;
    return out;
}

// Runs `body` for each element of the binder's collection, bound to its slot,
// after telling `start` how many there are.
template <typename Start, typename Visit>
Value for_each_bound(Context& ctx, const Node& node, Start start, Visit visit) {
    std::optional<Value> scratch;
    const Value& coll = arg_ref(ctx, node, 0, scratch);
    if (coll.missing()) return coll;
    if (!coll.is<List>()) return eval::missing_value("expected a list to iterate over");
    List list = coll.as<List>();
    start(list->size());
    for (const auto& e : *list) {
        ctx.vars[node.slot] = e;
        if (!visit(e, eval::evaluate(ctx, node.kids[1]))) break;
    }
    return true;
}
template <typename Visit>
Value for_each_bound(Context& ctx, const Node& node, Visit visit) {
    return for_each_bound(ctx, node, [](std::size_t) {}, visit);
}

// Collects the body's values of a binder call as a list.
Value mapped(Context& ctx, const Node& node) {
    std::vector<Value> out;
    Value status = for_each_bound(ctx, node, [&](std::size_t size) { out.reserve(size); }, [&](const Value&, Value v) {
        out.push_back(std::move(v));
        return true;
    });
    if (status.missing()) return status;
    return eval::make_list(std::move(out));
}

Value sum_numbers(const std::vector<Number>& xs) {
    Number total = Number::exact(0);
    for (const auto& x : xs) total = eval::add(total, x);
    return total;
}

Value extreme(const std::vector<Number>& xs, bool want_max) {
    if (xs.empty()) return eval::missing_value("min/max of an empty list");
    const Number* best = &xs[0];
    for (const auto& x : xs)
        if (want_max ? x.value > best->value : x.value < best->value) best = &x;
    return *best;
}

template <typename F>
Value with_numbers(Context& ctx, const Value& list, F f) {
    auto ns = numbers_of(ctx, list);
    if (auto* m = std::get_if<Missing>(&ns)) return *m;
    return f(std::get<std::vector<Number>>(ns));
}

// all/any over values: Kleene logic.
Value quantify(const std::vector<Value>& values, bool is_all) {
    Missing missing;
    bool unknown = false;
    for (const auto& v : values) {
        if (v.is<bool>()) {
            if (v.as<bool>() != is_all) return !is_all;
        } else {
            unknown = true;
            missing = eval::merge_missing(missing, v.missing() ? v : eval::missing_value("not a condition"));
        }
    }
    if (unknown) return missing;
    return is_all;
}

Value quantify_bound(Context& ctx, const Node& node, bool is_all) {
    Missing missing;
    bool unknown = false, decided = false;
    Value status = for_each_bound(ctx, node, [&](const Value&, const Value& v) {
        if (v.is<bool>()) {
            if (v.as<bool>() != is_all) {
                decided = true;
                return false;
            }
        } else {
            unknown = true;
            missing = eval::merge_missing(missing, v.missing() ? v : eval::missing_value("not a condition"));
        }
        return true;
    });
    if (status.missing()) return status;
    if (decided) return !is_all;
    if (unknown) return missing;
    return is_all;
}

std::optional<std::string> text_arg(const Value& v) {
    if (auto t = eval::text_of(v)) return std::string(*t);
    return std::nullopt;
}

// The regex of a call: precompiled when the pattern was a literal.
std::shared_ptr<const CompiledRegex> regex_of(const Node& node, const Value& pattern, std::string& error) {
    if (node.regex) return node.regex;
    std::size_t offset = 0;
    return compile_regex(std::string(*eval::text_of(pattern)), error, offset);
}

struct RegexMatches {
    std::vector<std::vector<std::optional<std::string>>> matches;  // [match][group 0..n]
    std::vector<std::size_t> starts;  // with groups: the byte offset of each match in the text
};

// Positions in a text as ICU counts them (UTF-16 units, an ill-formed sequence
// one U+FFFD as fromUTF8() makes it) and as its UTF-8 bytes do, moved forward
// only: matches and places come in order. Bytes are counted from `base`.
class Utf16Walk {
public:
    explicit Utf16Walk(std::string_view text, std::size_t base = 0) : text_(text), base_(base) {}
    // The byte where UTF-16 unit `unit` starts.
    std::size_t byte_of(int32_t unit) {
        while (unit_ < unit && byte_ < text_.size()) step();
        return base_ + byte_;
    }
    // The UTF-16 unit where byte `byte` (a character's first) is.
    int32_t unit_of(std::size_t byte) {
        while (base_ + byte_ < byte && byte_ < text_.size()) step();
        return unit_;
    }

private:
    void step() {
        auto at = static_cast<int32_t>(byte_);
        UChar32 c = 0;
        U8_NEXT(text_.data(), at, static_cast<int32_t>(text_.size()), c);
        unit_ += U16_LENGTH(c < 0 ? 0xFFFD : c);
        byte_ = static_cast<std::size_t>(at);
    }
    std::string_view text_;
    std::size_t base_;
    std::size_t byte_ = 0;
    int32_t unit_ = 0;
};

// Adds the match `m` holds to `out` (its groups' texts when `groups`), placed at
// its start (a byte of the text `at` walks) when `groups`.
void add_match(Context& ctx, icu::RegexMatcher& m, bool groups, Utf16Walk& at, RegexMatches& out, UErrorCode& status) {
    ctx.count_step();
    if (groups) out.starts.push_back(at.byte_of(m.start(status)));
    std::vector<std::optional<std::string>> texts;
    for (int32_t g = 0; groups && g <= m.groupCount(); ++g) {
        if (m.start(g, status) < 0) {
            texts.emplace_back(std::nullopt);
            continue;
        }
        std::string s;
        m.group(g, status).toUTF8String(s);
        texts.emplace_back(std::move(s));
    }
    out.matches.push_back(std::move(texts));
}

// Adds the matches `m` finds in the text it was reset to, `text` (from byte
// `offset` of the text the places count), to `out`, up to `limit` in all.
void find_matches(Context& ctx, icu::RegexMatcher& m, std::string_view text, std::size_t offset, std::size_t limit,
                  bool groups, RegexMatches& out, UErrorCode& status) {
    Utf16Walk at(text, offset);
    while (out.matches.size() < limit && m.find(status) && U_SUCCESS(status)) add_match(ctx, m, groups, at, out, status);
}

// find_matches() over the whole of `text` (`utext`, which `m` was reset to),
// looking only where a match may start: from `reach` characters before the start
// of one of `places` (the words every match holds, required_word_places) to that
// start. Before the start, not the end: a word may hold another (𠀀𠀂C and 𠀂), and
// a match holding the inner one, later in order, may begin before the outer's end
// less `reach`. ICU's regions have transparent bounds (a lookaround reads the text
// beyond them, as in a search of it all) and end `reach` characters past the
// place, past the end of any match that starts before it: so each match found is
// the one a search of the whole text finds there, in the same order.
void find_matches_near(Context& ctx, icu::RegexMatcher& m, std::string_view text, const icu::UnicodeString& utext,
                       const std::vector<std::pair<std::size_t, std::size_t>>& places, std::size_t reach,
                       std::size_t limit, bool groups, RegexMatches& out, UErrorCode& status) {
    const auto reach_units = static_cast<int32_t>(2 * reach);  // a character is one or two units
    const int32_t length = utext.length();
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    Utf16Walk place_at(text), match_at(text);
    int32_t searched_to = 0;  // where the last match ended: the next starts there or later
    // A region's bound between the two units of a character: ICU would match from
    // its second, a lone surrogate (ICU 72 may even crash there), where a search of
    // the whole text never starts.
    auto whole_character = [&](int32_t unit) {
        return unit > 0 && unit < length && U16_IS_TRAIL(utext[unit]) && U16_IS_LEAD(utext[unit - 1]) ? unit - 1 : unit;
    };
    for (const auto& place : places) {
        const int32_t start = place_at.unit_of(place.first);
        // A match starting before the place's start and holding it: look again
        // after each one found (several may end before the place).
        while (start >= searched_to && out.matches.size() < limit && U_SUCCESS(status)) {
            m.region(std::max(searched_to, whole_character(start - reach_units)),
                     std::min(length, whole_character(start + reach_units + 1)), status);
            if (U_FAILURE(status) || !m.find(status) || U_FAILURE(status) || m.start(status) > start) break;
            add_match(ctx, m, groups, match_at, out, status);
            const int32_t ended = m.end(status);
            if (ended <= searched_to) break;  // every match holds a word: never empty
            searched_to = ended;
        }
    }
    // The matcher is kept for the report's other texts, searched whole.
    m.useTransparentBounds(false);
    m.useAnchoringBounds(true);
}

// Up to `limit` matches of `pattern` in `text` (the call's arguments), with their
// groups unless `groups` is false (matches() asks only whether there is one).
std::variant<RegexMatches, Missing> match_text(Context& ctx, const Node& node, const Value& text, const Value& pattern,
                                               std::size_t limit, bool groups) {
    if (text.missing() || pattern.missing()) return eval::merge_missing(text, pattern);
    if (!eval::is_text(text) || !eval::is_text(pattern)) return Missing{{"regex needs text and a pattern"}};
    std::string error;
    auto re = regex_of(node, pattern, error);
    if (!re) return Missing{{error}};
    const std::string_view whole = *eval::text_of(text);
    // Whether there is a match, for a pattern of the pack or one the rule works out
    // (`matches(x, w)` for w in a list of words): without ICU when its words tell.
    if (!groups && limit == 1)
        if (std::optional<bool> found = literal_match(*re, whole)) {
            RegexMatches out;
            if (*found) {
                ctx.count_step();  // as find_matches() does for the match
                out.matches.emplace_back();
            }
            return out;
        }
    if (lacks_required_words(*re, whole)) return RegexMatches{};
    // Whether there is a match, in a long text: ICU searches only around the words
    // every match holds, when matches are of bounded length (a section's text runs
    // to many KB, converting and scanning it whole is most of a check's work).
    constexpr std::size_t long_text = 512;
    std::optional<std::vector<std::pair<std::size_t, std::size_t>>> windows;
    if (!groups && limit == 1 && whole.size() > long_text) windows = search_windows(*re, whole);
    // All matches (find_all), or a pattern whose lookarounds read unbounded text:
    // the whole text is converted, and searched from near the required words.
    std::optional<std::vector<std::pair<std::size_t, std::size_t>>> near_words;
    if (!windows && whole.size() > long_text) near_words = required_word_places(*re, whole);
    if (near_words) windows.emplace();  // no window searched whole
    else if (!windows) windows.emplace(1, std::pair<std::size_t, std::size_t>{0, whole.size()});
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> owned;
    icu::RegexMatcher* m = nullptr;
    if (node.regex) {
        auto& cached = ctx.matchers[node.regex.get()];
        if (!cached) {
            cached.reset(re->icu().matcher(status));
            if (cached) cached->setTimeLimit(eval::regex_time_limit, status);
        }
        m = cached.get();
    } else {
        owned.reset(re->icu().matcher(status));
        if (owned) owned->setTimeLimit(eval::regex_time_limit, status);
        m = owned.get();
    }
    RegexMatches out;
    if (U_FAILURE(status) || !m) return Missing{{std::string("regex failed: ") + u_errorName(status)}};
    icu::UnicodeString utext;
    if (near_words) {
        utext = icu::UnicodeString::fromUTF8(whole);
        m->reset(utext);
        find_matches_near(ctx, *m, whole, utext, *near_words, *re->longest_consumed, limit, groups, out, status);
    }
    for (const auto& [from, to] : *windows) {
        if (out.matches.size() >= limit || U_FAILURE(status)) break;
        utext = icu::UnicodeString::fromUTF8(whole.substr(from, to - from));
        m->reset(utext);
        find_matches(ctx, *m, whole.substr(from, to - from), from, limit, groups, out, status);
    }
    // A kept matcher must not point at this call's text once it is gone.
    static const icu::UnicodeString nothing;
    if (!owned) m->reset(nothing);
    if (U_FAILURE(status)) {
        // A search that gave up is no answer: "no match" would pass or fail the check.
        std::string pattern_text;
        pattern_text = re->text;
        throw eval::RegexGaveUp{pattern_text, status == U_REGEX_TIME_OUT ? "took too long" : u_errorName(status)};
    }
    return out;
}

// Each match of `matches` in `text` as a value the check read, with the place it
// was written when `text` is a section's (position_in_section_text): "captured:
// 收到政府信息公开申请8件", its value that of `group` of the match. What a check
// reads out of the prose with a regular expression is listed and pointed at as
// a narrative figure is.
constexpr std::size_t max_captured_path_chars = 80;  // a label, not a quotation

// The words the report's cells were read with: a number read from its text by a
// rule reads as its cells do.
const NumberWords& number_words(const Context& ctx) {
    return ctx.model.number_words ? *ctx.model.number_words : NumberWords::standard();
}

void record_captures(Context& ctx, const Value& text, const RegexMatches& matches,
                     const std::optional<std::string>& (*group)(const std::vector<std::optional<std::string>>&)) {
    const auto* view = std::get_if<eval::TextView>(&text.v);
    if (!view || matches.matches.empty()) return;
    if (!ctx.recording) {
        ++ctx.recordable_reads;  // a recording evaluation would record these
        return;
    }
    for (std::size_t i = 0; i < matches.matches.size(); ++i) {
        const auto& m = matches.matches[i];
        if (m.empty() || !m[0] || i >= matches.starts.size()) continue;
        const std::string& whole = *m[0];
        const std::size_t at = matches.starts[i];
        CellRef ref;
        ref.path = std::string(eval::captured_path_prefix) + shortened(whole, max_captured_path_chars);
        const std::optional<std::string>& value = group(m);
        ref.text = value ? *value : std::string();
        ref.value = value ? parse_cell_value(*value, {}, number_words(ctx)) : gouji::Value::missing_because(MissingReason::Absent);
        ref.numeric = ref.value.has_number();
        ref.pos = eval::position_in_section_text(ctx.model, view->text, at, whole);
        ctx.record(std::move(ref));
    }
}

// The first group of a match, or the whole match when the pattern has none.
const std::optional<std::string>& main_group(const std::vector<std::optional<std::string>>& groups);

std::variant<RegexMatches, Missing> run_regex(Context& ctx, const Node& node, std::size_t limit) {
    std::optional<Value> text_scratch, pattern_scratch;
    const Value& text = arg_ref(ctx, node, 0, text_scratch);
    const Value& pattern = arg_ref(ctx, node, 1, pattern_scratch);
    auto r = match_text(ctx, node, text, pattern, limit, true);
    if (const auto* matches = std::get_if<RegexMatches>(&r)) record_captures(ctx, text, *matches, main_group);
    return r;
}

Value number_from_text(const Context& ctx, const std::optional<std::string>& s) {
    if (!s) return eval::missing_value("a regex group did not match");
    gouji::Value v = parse_cell_value(*s, {}, number_words(ctx));
    if (!v.has_number()) return eval::missing_value("'" + *s + "' is not a number");
    if (v.unit == "%") return Number::written_percent(v.number, v.decimals);
    return Number::written(v.number, v.decimals);
}

// The group a list-returning regex function yields per match: 1 if the pattern has groups.
const std::optional<std::string>& main_group(const std::vector<std::optional<std::string>>& groups) {
    return groups.size() > 1 ? groups[1] : groups[0];
}

constexpr std::size_t all_matches = 10000;

// ---- the functions --------------------------------------------------------------

// Adds numbers in order as sum_numbers(numbers_of(…)) does, without the vector:
// sums run for every row and column of the tables.
struct Total {
    Number total = Number::exact(0);
    Missing missing;
    bool any_missing = false;
    void add(Context& ctx, const Value& e) {
        if (auto n = element_number(ctx, e, missing)) {
            if (!any_missing) total = eval::add(total, *n);
        } else {
            any_missing = true;
        }
    }
    Value value() const { return any_missing ? Value(missing) : Value(total); }
};
Value fn_sum(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v.as<Missing>();
    if (!v.is<List>()) return Missing{{"expected a list of numbers"}};
    Total t;
    for (const auto& e : *v.as<List>()) t.add(ctx, e);
    return t.value();
}
Value fn_sum_bound(Context& ctx, const Node& node) {
    // Recording, figures must be read after every body has run, as mapped() then
    // numbers_of() do; the silent pass records nothing, so it adds as it goes.
    if (ctx.recording) return with_numbers(ctx, mapped(ctx, node), sum_numbers);
    Total t;
    Value status = for_each_bound(ctx, node, [&](const Value&, const Value& v) {
        t.add(ctx, v);
        return true;
    });
    if (status.missing()) return status;
    return t.value();
}
Value fn_count(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v;
    if (v.is<List>()) return Number::exact(static_cast<double>(v.as<List>()->size()));
    return eval::missing_value("count needs a list");
}
Value fn_count_bound(Context& ctx, const Node& node) {
    std::size_t n = 0;
    Missing missing;
    bool unknown = false;
    Value status = for_each_bound(ctx, node, [&](const Value&, const Value& v) {
        if (v.is<bool>()) {
            n += v.as<bool>() ? 1 : 0;
        } else {
            unknown = true;
            missing = eval::merge_missing(missing, v.missing() ? v : eval::missing_value("not a condition"));
        }
        return true;
    });
    if (status.missing()) return status;
    if (unknown) return missing;
    return Number::exact(static_cast<double>(n));
}
Value fn_min(Context& ctx, const Node& node) {
    return with_numbers(ctx, arg(ctx, node, 0), [](const auto& xs) { return extreme(xs, false); });
}
Value fn_max(Context& ctx, const Node& node) {
    return with_numbers(ctx, arg(ctx, node, 0), [](const auto& xs) { return extreme(xs, true); });
}
Value fn_min_bound(Context& ctx, const Node& node) {
    return with_numbers(ctx, mapped(ctx, node), [](const auto& xs) { return extreme(xs, false); });
}
Value fn_max_bound(Context& ctx, const Node& node) {
    return with_numbers(ctx, mapped(ctx, node), [](const auto& xs) { return extreme(xs, true); });
}
Value args_list(Context& ctx, const Node& node) {
    std::vector<Value> items;
    for (std::size_t i = 0; i < node.kids.size(); ++i) items.push_back(arg(ctx, node, i));
    return eval::make_list(std::move(items));
}
Value fn_min_args(Context& ctx, const Node& node) {
    return with_numbers(ctx, args_list(ctx, node), [](const auto& xs) { return extreme(xs, false); });
}
Value fn_max_args(Context& ctx, const Node& node) {
    return with_numbers(ctx, args_list(ctx, node), [](const auto& xs) { return extreme(xs, true); });
}
// Like with_numbers(ctx, args_list(ctx, node), f) for a call of at most N
// arguments, without building the list (abs and round run for every table
// cell): every argument is evaluated before any is read as a number (which
// records figures), in that order, as there. f gets the numbers and their count.
template <std::size_t N, typename F>
Value with_arg_numbers(Context& ctx, const Node& node, F f) {
    const std::size_t n = std::min(node.kids.size(), N);
    std::array<std::optional<Value>, N> scratch;
    std::array<const Value*, N> args{};
    for (std::size_t i = 0; i < n; ++i) args[i] = &arg_ref(ctx, node, i, scratch[i]);
    std::array<Number, N> xs{};
    Missing missing;
    bool any_missing = false;
    for (std::size_t i = 0; i < n; ++i)
        if (auto x = element_number(ctx, *args[i], missing)) xs[i] = *x;
        else any_missing = true;
    if (any_missing) return missing;
    return f(xs, n);
}
Value fn_abs(Context& ctx, const Node& node) {
    return with_arg_numbers<1>(ctx, node, [](const std::array<Number, 1>& xs, std::size_t) -> Value {
        return eval::absolute(xs[0]);
    });
}
Value fn_round(Context& ctx, const Node& node) {
    return with_arg_numbers<2>(ctx, node, [](const std::array<Number, 2>& xs, std::size_t n) -> Value {
        return eval::rounded(xs[0], n > 1 ? xs[1].value : 0);
    });
}
Value fn_all(Context& ctx, const Node& node) {
    Value v = arg(ctx, node, 0);
    if (v.missing()) return v;
    if (!v.is<List>()) return eval::missing_value("all needs a list");
    return quantify(*v.as<List>(), true);
}
Value fn_any(Context& ctx, const Node& node) {
    Value v = arg(ctx, node, 0);
    if (v.missing()) return v;
    if (!v.is<List>()) return eval::missing_value("any needs a list");
    return quantify(*v.as<List>(), false);
}
Value fn_all_bound(Context& ctx, const Node& node) { return quantify_bound(ctx, node, true); }
Value fn_any_bound(Context& ctx, const Node& node) { return quantify_bound(ctx, node, false); }
Value fn_filter(Context& ctx, const Node& node) {
    std::vector<Value> out;
    // An element whose predicate cannot be decided leaves the list unknown: left
    // out, it would decide a count or a sum that the missing value may change.
    std::optional<Value> undecided;
    Value status = for_each_bound(ctx, node, [&](const Value& e, const Value& v) {
        if (v.missing()) {
            undecided = v;
            return false;
        }
        if (v.is<bool>() && v.as<bool>()) out.push_back(e);
        return true;
    });
    if (status.missing()) return status;
    if (undecided) return *undecided;
    return eval::make_list(std::move(out));
}
Value fn_map(Context& ctx, const Node& node) { return mapped(ctx, node); }
Value fn_first(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v;
    if (!v.is<List>() || v.as<List>()->empty()) return eval::missing_value("first of an empty list");
    return v.as<List>()->front();
}
Value fn_last(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v;
    if (!v.is<List>() || v.as<List>()->empty()) return eval::missing_value("last of an empty list");
    return v.as<List>()->back();
}
Value fn_has_section(Context& ctx, const Node& node) {
    if (ctx.only_year_and_template) return eval::missing_value("known from a report only");
    Value name = arg(ctx, node, 0);
    if (!eval::is_text(name)) return name.missing() ? name : eval::missing_value("has_section needs a name");
    return eval::find_section(ctx, std::string(*eval::text_of(name))).section != nullptr;
}
Value fn_section(Context& ctx, const Node& node) {
    if (ctx.only_year_and_template) return eval::missing_value("known from a report only");
    Value name = arg(ctx, node, 0);
    if (!eval::is_text(name)) return name.missing() ? name : eval::missing_value("section needs a name");
    const std::string text(*eval::text_of(name));
    auto ref = eval::find_section(ctx, text);
    if (!ref.section) return Missing{{"no section '" + text + "'"}, true};
    return ref;
}

Value fn_matches(Context& ctx, const Node& node) {
    std::optional<Value> text_scratch, pattern_scratch;
    const Value& text = arg_ref(ctx, node, 0, text_scratch);
    const Value& pattern = arg_ref(ctx, node, 1, pattern_scratch);
    auto r = match_text(ctx, node, text, pattern, 1, false);
    if (auto* m = std::get_if<Missing>(&r)) return *m;
    return !std::get<RegexMatches>(r).matches.empty();
}
Value fn_captures(Context& ctx, const Node& node) {
    auto r = run_regex(ctx, node, 1);
    if (auto* m = std::get_if<Missing>(&r)) return *m;
    std::vector<Value> out;
    const auto& ms = std::get<RegexMatches>(r).matches;
    if (!ms.empty())
        for (const auto& g : ms[0]) out.push_back(g ? Value(*g) : eval::missing_value("a regex group did not match"));
    return eval::make_list(std::move(out));
}
Value fn_find_all(Context& ctx, const Node& node) {
    auto r = run_regex(ctx, node, all_matches);
    if (auto* m = std::get_if<Missing>(&r)) return *m;
    std::vector<Value> out;
    for (const auto& g : std::get<RegexMatches>(r).matches) {
        const auto& s = main_group(g);
        out.push_back(s ? Value(*s) : eval::missing_value("a regex group did not match"));
    }
    return eval::make_list(std::move(out));
}
Value fn_numbers(Context& ctx, const Node& node) {
    auto r = run_regex(ctx, node, all_matches);
    if (auto* m = std::get_if<Missing>(&r)) return *m;
    std::vector<Value> out;
    for (const auto& g : std::get<RegexMatches>(r).matches) out.push_back(number_from_text(ctx, main_group(g)));
    return eval::make_list(std::move(out));
}
Value fn_number(Context& ctx, const Node& node) {
    Value v = arg(ctx, node, 0);
    if (v.missing()) return v;
    if (v.is<Number>()) return v;
    if (v.is<eval::FigureRef>()) return eval::figure_number(ctx, v.as<eval::FigureRef>().index);
    return number_from_text(ctx, text_arg(v));
}
Value fn_previous(Context& ctx, const Node& node) {
    if (ctx.only_year_and_template) return eval::missing_value("known from a report only");
    if (node.kids[0].op == Op::Param) return eval::previous_param(ctx, node.kids[0]);
    Value table = arg(ctx, node, 0);
    if (!table.is<eval::TableRef>()) return table.missing() ? table : eval::missing_value("previous needs a table");
    if (auto before = ctx.previous_table(table.as<eval::TableRef>())) return *before;
    return eval::missing_value("previous(previous(" + std::string(table.as<eval::TableRef>().id) +
                               ")): only the report of the year before is read, not the one before it");
}
Value fn_present(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.is<eval::FigureRef>()) return !eval::figure_number(ctx, v.as<eval::FigureRef>().index).missing();
    return !v.missing();
}
Value fn_written(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    return !(v.missing() && v.as<Missing>().absent);
}
Value fn_placed(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    return !(v.missing() && v.as<Missing>().unplaced);
}
// A cell the document does not have (its column not printed, its row not found, its
// table not there): not a blank, nor a cell of a row whose numbers could not be placed.
Value fn_absent(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    return v.missing() && v.as<Missing>().absent && !v.as<Missing>().unplaced;
}
Value fn_within(Context& ctx, const Node& node) {
    return with_arg_numbers<3>(ctx, node, [](const std::array<Number, 3>& xs, std::size_t) -> Value {
        return eval::within(xs[0], xs[1], xs[2].value);
    });
}
Value fn_unit(Context& ctx, const Node& node) {
    return with_arg_numbers<1>(ctx, node, [](const std::array<Number, 1>& xs, std::size_t) -> Value {
        return eval::unit_of(xs[0]);
    });
}
// The unit a cell's text writes after its number ("元" of "8590元"), not the one its
// column gives a bare number: whether the report wrote the amount in the unit its
// form asks for. Text of no unit is "".
Value fn_written_unit(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);  // records the cell; says why it has no number
    if (v.missing()) return v;
    const BoundCell* cell = eval::named_bound_cell(ctx, node.kids[0]);
    if (!cell) return eval::missing_value("written_unit() needs a table cell");
    return parse_cell_value(cell->text, {}, number_words(ctx)).unit;
}
// What the report wrote in the cell, as it wrote it ("80*", "约80"): a message can
// quote a cell that holds no number instead of calling it missing. "" for a blank
// cell and for one the document does not have.
Value fn_written_text(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    arg_ref(ctx, node, 0, scratch);  // records the cell
    const BoundCell* cell = eval::named_bound_cell(ctx, node.kids[0]);
    return cell ? cell->text : std::string();
}
Value fn_decimals(Context& ctx, const Node& node) {
    return with_arg_numbers<1>(ctx, node, [](const std::array<Number, 1>& xs, std::size_t) -> Value {
        return Number::exact(std::max(xs[0].decimals, 0));
    });
}
Value fn_contains(Context& ctx, const Node& node) {
    Value a = arg(ctx, node, 0), b = arg(ctx, node, 1);
    if (a.missing() || b.missing()) return eval::merge_missing(a, b);
    if (!eval::is_text(a) || !eval::is_text(b)) return eval::missing_value("contains needs text");
    return eval::text_of(a)->find(*eval::text_of(b)) != std::string_view::npos;
}
Value fn_mentions(Context& ctx, const Node& node) {
    std::optional<Value> text_scratch, named_scratch;
    const Value& text = arg_ref(ctx, node, 0, text_scratch);
    const Value& named = arg_ref(ctx, node, 1, named_scratch);
    if (text.missing() || named.missing()) return eval::merge_missing(text, named);
    const NamedLabel* label = eval::named_label_of(named);
    if (!eval::is_text(text) || !label) return eval::missing_value("mentions needs text and a row or column");
    return eval::mentions(*eval::text_of(text), *label);
}
Value fn_length(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v;
    if (v.is<List>()) return Number::exact(static_cast<double>(v.as<List>()->size()));
    if (auto t = eval::text_of(v)) return Number::exact(static_cast<double>(char_count(*t)));
    return eval::missing_value("length needs text or a list");
}
Value fn_empty(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v;
    if (v.is<List>()) return v.as<List>()->empty();
    if (auto t = eval::text_of(v)) return trim_view(*t).empty();
    if (v.is<eval::SectionRef>()) return trim_view(v.as<eval::SectionRef>().section->text).empty();
    return eval::missing_value("empty needs text, a list or a section");
}
Value fn_increasing(Context& ctx, const Node& node) {
    return with_numbers(ctx, arg(ctx, node, 0), [](const std::vector<Number>& xs) -> Value {
        for (std::size_t i = 1; i < xs.size(); ++i)
            if (xs[i].value < xs[i - 1].value) return false;
        return true;
    });
}
// The items of a list as text, `separator` between them: a message's terms
// ("705 + 1 + 4") whatever columns a template has.
Value fn_join(Context& ctx, const Node& node) {
    Value list = arg(ctx, node, 0);
    Value separator = arg(ctx, node, 1);
    if (list.missing()) return list;
    if (separator.missing()) return separator;
    auto sep = eval::text_of(separator);
    if (!list.is<List>() || !sep) return eval::missing_value("join needs a list and a text");
    std::string out;
    bool first = true;
    for (const auto& item : *list.as<List>()) {
        if (item.missing()) return item;
        if (!first) out += *sep;
        out += eval::to_text(ctx, item);
        first = false;
    }
    return out;
}

Value fn_text(Context& ctx, const Node& node) {
    Value v = arg(ctx, node, 0);
    if (v.missing()) return v;
    return eval::to_text(ctx, v);
}

// ---- the registry ----------------------------------------------------------------

// clang-format off
const Builtin builtins[] = {
    {"sum", 1, 1, false, "sum(list) or sum(x in list, number)", numbers_in_list, fn_sum},
    {"sum", 2, 2, true, "sum(list) or sum(x in list, number)", binder_number, fn_sum_bound},
    {"count", 1, 1, false, "count(list) or count(x in list, condition)",
        [](const std::vector<Type>& a, ArgumentError& e) { need_list(a, 0, e); return number_type(); }, fn_count},
    {"count", 2, 2, true, "count(list) or count(x in list, condition)",
        [](const std::vector<Type>& a, ArgumentError& e) { binder_condition(a, e); return number_type(); }, fn_count_bound},
    {"min", 1, 1, false, "min(list), min(a, b, …) or min(x in list, number)", numbers_in_list, fn_min},
    {"min", 2, -1, false, "min(list), min(a, b, …) or min(x in list, number)", all_numeric, fn_min_args},
    {"min", 2, 2, true, "min(list), min(a, b, …) or min(x in list, number)", binder_number, fn_min_bound},
    {"max", 1, 1, false, "max(list), max(a, b, …) or max(x in list, number)", numbers_in_list, fn_max},
    {"max", 2, -1, false, "max(list), max(a, b, …) or max(x in list, number)", all_numeric, fn_max_args},
    {"max", 2, 2, true, "max(list), max(a, b, …) or max(x in list, number)", binder_number, fn_max_bound},
    {"abs", 1, 1, false, "abs(number)", all_numeric, fn_abs},
    {"round", 1, 2, false, "round(number) or round(number, digits)", all_numeric, fn_round},
    {"all", 1, 1, false, "all(list of conditions) or all(x in list, condition)", conditions_in_list, fn_all},
    {"all", 2, 2, true, "all(list of conditions) or all(x in list, condition)", binder_condition, fn_all_bound},
    {"any", 1, 1, false, "any(list of conditions) or any(x in list, condition)", conditions_in_list, fn_any},
    {"any", 2, 2, true, "any(list of conditions) or any(x in list, condition)", binder_condition, fn_any_bound},
    {"filter", 2, 2, true, "filter(x in list, condition)",
        [](const std::vector<Type>& a, ArgumentError& e) { binder_condition(a, e); return Type::list_of(a[0].element_type()); }, fn_filter},
    {"map", 2, 2, true, "map(x in list, expression)",
        [](const std::vector<Type>& a, ArgumentError&) { return Type::list_of(a[1]); }, fn_map},
    {"first", 1, 1, false, "first(list)",
        [](const std::vector<Type>& a, ArgumentError& e) { need_list(a, 0, e); return a[0].element_type(); }, fn_first},
    {"last", 1, 1, false, "last(list)",
        [](const std::vector<Type>& a, ArgumentError& e) { need_list(a, 0, e); return a[0].element_type(); }, fn_last},
    {"has_section", 1, 1, false, "has_section(name)",
        [](const std::vector<Type>& a, ArgumentError& e) { return texts_to(a, e, bool_type()); }, fn_has_section},
    {"section", 1, 1, false, "section(name)",
        [](const std::vector<Type>& a, ArgumentError& e) { return texts_to(a, e, Type::of(Kind::Section)); }, fn_section},
    {"matches", 2, 2, false, "matches(text, pattern)",
        [](const std::vector<Type>& a, ArgumentError& e) { return texts_to(a, e, bool_type()); }, fn_matches, 1},
    {"regex", 2, 2, false, "regex(text, pattern)",
        [](const std::vector<Type>& a, ArgumentError& e) { return texts_to(a, e, bool_type()); }, fn_matches, 1},
    {"captures", 2, 2, false, "captures(text, pattern)",
        [](const std::vector<Type>& a, ArgumentError& e) { return texts_to(a, e, Type::list_of(string_type())); }, fn_captures, 1},
    {"find_all", 2, 2, false, "find_all(text, pattern)",
        [](const std::vector<Type>& a, ArgumentError& e) { return texts_to(a, e, Type::list_of(string_type())); }, fn_find_all, 1},
    {"numbers", 2, 2, false, "numbers(text, pattern)",
        [](const std::vector<Type>& a, ArgumentError& e) { return texts_to(a, e, Type::list_of(number_type())); }, fn_numbers, 1},
    {"number", 1, 1, false, "number(text)",
        [](const std::vector<Type>& a, ArgumentError& e) {
            need(types::is_text(a[0]) || types::is_numeric(a[0]), e, 0, a[0], "text or a number");
            return number_type(); }, fn_number},
    {"present", 1, 1, false, "present(value)", [](const std::vector<Type>&, ArgumentError&) { return bool_type(); }, fn_present},
    // Of a param, only a truth value, a number or a text: the other kinds of value
    // (a figure, a section, a list of them) point into the report they come from.
    // That the argument is a param, the compiler checks (ExpressionCompiler::compile_call).
    {"previous", 1, 1, false, "previous(table) or previous(param)",
        [](const std::vector<Type>& a, ArgumentError& e) {
            need(a[0].kind == Kind::Table || a[0].kind == Kind::Bool || a[0].kind == Kind::Number ||
                     a[0].kind == Kind::String,
                 e, 0, a[0], "a table (previous(表三)) or a param that is a condition, a number or a text "
                             "(previous(other_form))");
            return a[0]; }, fn_previous},
    {"written", 1, 1, false, "written(cell)", [](const std::vector<Type>&, ArgumentError&) { return bool_type(); }, fn_written},
    {"placed", 1, 1, false, "placed(cell)", [](const std::vector<Type>&, ArgumentError&) { return bool_type(); }, fn_placed},
    {"absent", 1, 1, false, "absent(cell)", [](const std::vector<Type>&, ArgumentError&) { return bool_type(); }, fn_absent},
    {"within", 3, 3, false, "within(a, b, tolerance)",
        [](const std::vector<Type>& a, ArgumentError& e) { all_numeric(a, e); return bool_type(); }, fn_within},
    {"unit", 1, 1, false, "unit(number)", all_numeric, fn_unit},
    {"decimals", 1, 1, false, "decimals(number)", all_numeric, fn_decimals},
    {"written_unit", 1, 1, false, "written_unit(cell)",
        [](const std::vector<Type>& a, ArgumentError& e) { all_numeric(a, e); return string_type(); }, fn_written_unit},
    {"written_text", 1, 1, false, "written_text(cell)",
        [](const std::vector<Type>& a, ArgumentError& e) { all_numeric(a, e); return string_type(); }, fn_written_text},
    {"contains", 2, 2, false, "contains(text, part)",
        [](const std::vector<Type>& a, ArgumentError& e) { return texts_to(a, e, bool_type()); }, fn_contains},
    {"mentions", 2, 2, false, "mentions(text, row or column)",
        [](const std::vector<Type>& a, ArgumentError& e) {
            need(types::is_text(a[0]), e, 0, a[0], "text");
            need(a[1].kind == Kind::Row || a[1].kind == Kind::Column || types::is_any(a[1]), e, 1, a[1],
                 "a row or a column of a table");
            return bool_type(); }, fn_mentions},
    {"length", 1, 1, false, "length(text or list)",
        [](const std::vector<Type>& a, ArgumentError& e) {
            need(types::is_text(a[0]) || types::is_list(a[0]), e, 0, a[0], "text or a list");
            return number_type(); }, fn_length},
    {"empty", 1, 1, false, "empty(text, list or section)",
        [](const std::vector<Type>& a, ArgumentError& e) {
            need(types::is_text(a[0]) || types::is_list(a[0]) || a[0].kind == Kind::Section, e, 0, a[0],
                 "text, a list or a section");
            return bool_type(); }, fn_empty},
    {"increasing", 1, 1, false, "increasing(list of numbers)",
        [](const std::vector<Type>& a, ArgumentError& e) { numbers_in_list(a, e); return bool_type(); }, fn_increasing},
    {"text", 1, 1, false, "text(value)", [](const std::vector<Type>&, ArgumentError&) { return string_type(); }, fn_text},
    {"join", 2, 2, false, "join(list, separator)",
        [](const std::vector<Type>& a, ArgumentError& e) {
            need_list(a, 0, e);
            need(types::is_text(a[1]), e, 1, a[1], "a text to put between the items");
            return string_type(); }, fn_join},
};
// clang-format on

}  // namespace

const Builtin* find_builtin(std::string_view name, std::size_t arity, bool binder) {
    for (const auto& b : builtins) {
        if (b.name != name || b.binder != binder) continue;
        auto n = static_cast<int>(arity);
        if (n >= b.min_args && (b.max_args < 0 || n <= b.max_args)) return &b;
    }
    return nullptr;
}

bool builtin_exists(std::string_view name) {
    return std::any_of(std::begin(builtins), std::end(builtins), [&](const Builtin& b) { return b.name == name; });
}

std::string builtin_usage(std::string_view name) {
    for (const auto& b : builtins)
        if (b.name == name) return std::string(b.usage);
    return {};
}

std::vector<std::string> builtin_names() {
    std::vector<std::string> out;
    for (const auto& b : builtins)
        if (std::find(out.begin(), out.end(), b.name) == out.end()) out.emplace_back(b.name);
    return out;
}

}  // namespace gouji::program
