// List recognition over the token stream of the whole document. A list opens at
// 其中, at "X件中" / "已答复中", at an enumeration word (主要有, 分别为, 如下…), or
// implicitly at a run of counts; it takes the following counts of its unit at its
// parenthesis depth as parts, and ends where the writer moves on: a stronger
// separator than the one between its parts, a count of another unit, a clause
// that states a new total (共…), a closing parenthesis, or the sentence end —
// unless the next sentence goes on with the same kind of part. A list of shares
// with no counts ("门户网站占82.3%，微信公众号占15.7%") is read the same way, its
// parts the percentages themselves.
#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "engine/model/narrative_scan.hpp"
#include "gouji/text.hpp"

namespace gouji::narrative {

namespace {

enum class Opener { Qizhong, FigureZhong, LabelZhong, Hedge, Run };

// How far back a total is looked for, in figures: a total is stated near its parts,
// and a bound keeps a document without sentence ends linear.
constexpr std::size_t kLookBack = 64;

struct OpenList {
    Opener opener = Opener::Run;
    std::size_t total = npos;
    bool total_stated = false;  // by the text's grammar (not inferred from nearby sentences)
    std::string unit;
    bool unit_known = false;
    std::vector<std::size_t> parts;
    int depth = 0;
    int separator = 0;  // strength of the boundary between its parts, once two are seen
    int strongest = 0;  // strongest boundary since the last part (or its percentage)
    bool partial = false;
    bool all_shares = true;  // every part has its percentage…
    double share_sum = 0;    // …and these add up to this
    bool sentence_ended = false;
    bool across_blocks = false;  // "…如下：" ended its block; the items are the next blocks
    int item_style = 0;          // their numbering style
    std::string label;           // LabelZhong: the named whole
    std::vector<std::string> names;  // Hedge 分别为: what each part counts, in order ("微博、微信…")
    std::size_t sentence = 0;    // where it opened
    std::size_t figures_before = 0;  // Hedge: figures scanned before the hedge word
    // Its parts are shares with no counts: "门户网站占82.3%，微信公众号占15.7%".
    bool shares_only = false;
    std::string whole;             // the whole its shares name ("占申请总数的"), "" for none
    bool after_share = false;      // Qizhong: opened right after a share ("合计占98%，其中…")
    bool spoiled = false;          // what its shares add up to is not the whole: dropped
};

// A percentage that states a share of a whole and no count of its own: "门户网站占",
// "门户网站公开信息占比", "自然人申请占申请总数" (its context; 的 trimmed). The words
// before 占 are its label, those after it (比 aside) the whole it names. Not a change
// ("占比提高", "占比同比增长"), nor words naming several parts at once ("分别占").
struct ShareWords {
    std::string_view label, whole;
    bool approximate = false;  // "约占", "占比约"
    bool total = false;        // "两项合计占", "共占": the sum of shares before it
};

std::optional<ShareWords> share_words(std::string_view context) {
    constexpr std::string_view kShare = "占";
    const std::size_t at = context.rfind(kShare);
    if (at == std::string_view::npos || at == 0) return std::nullopt;
    ShareWords w;
    w.label = context.substr(0, at);
    w.whole = context.substr(at + kShare.size());
    if (w.whole.starts_with("比")) w.whole.remove_prefix(std::string_view("比").size());
    for (std::string_view approximate : {"约", "大约"}) {
        if (w.label.ends_with(approximate)) {
            w.label.remove_suffix(approximate.size());
            w.approximate = true;
        }
        if (w.whole.starts_with(approximate)) {
            w.whole.remove_prefix(approximate.size());
            w.approximate = true;
        }
    }
    // ScannedFigure::total_word reads the whole clause, and "占申请总数的" names the whole.
    for (std::string_view total : {"合计", "共计", "总计", "总数", "总量", "共"})
        if (w.label.find(total) != std::string_view::npos && (total != "共" || w.label.find("公共") == std::string_view::npos))
            w.total = true;
    if (w.label.empty() || char_count(w.whole) > 8 || w.label.find("分别") != std::string_view::npos) return std::nullopt;
    for (std::string_view change : {"增", "减", "提高", "提升", "下降", "上升", "降低", "同比", "较", "比上"})
        if (w.whole.find(change) != std::string_view::npos) return std::nullopt;
    return w;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// "其他…", "其它…", "其余…": the part that names what the others leave.
bool names_the_rest(std::string_view label) {
    return starts_with(label, "其他") || starts_with(label, "其它") || starts_with(label, "其余");
}

class ListFinder {
public:
    ListFinder(Scan& scan, const Document& doc, std::size_t figure_base, int report_year)
        : scan_(scan), doc_(doc), figs_(scan.figures), base_(figure_base), report_year_(report_year) {}

    std::vector<FigureList> run() {
        for (std::size_t b = 0; b < scan_.blocks.size(); ++b) {
            const ScannedBlock& block = scan_.blocks[b];
            if (!block.continues_previous) block_start(block);
            for (std::size_t k = block.first_token; k < block.end_token; ++k) {
                token_ = k;
                token(scan_.tokens[k]);
            }
        }
        close();
        return std::move(lists_);
    }

private:
    void block_start(const ScannedBlock& block) {
        if (!cur_) return;
        if (cur_->parts.empty() && cur_->opener != Opener::Run && block.length <= 100) {
            cur_->across_blocks = true;  // "其中：" or "如下：" closed the previous block
            cur_->item_style = block.numbering_style;
        } else if (!(cur_->across_blocks && is_item(block))) {
            close();
            return;
        }
        cur_->sentence_ended = false;
        cur_->strongest = 0;
    }

    // An item of an enumeration announced at the end of an earlier paragraph: numbered
    // like the first item, and short — "2.机构设置1条，占比0.72%", not a numbered section.
    bool is_item(const ScannedBlock& block) const {
        return block.starts_with_numbering && block.numbering_style == cur_->item_style && block.length <= 100;
    }

    void token(const Token& t) {
        switch (t.kind) {
            case TokenKind::Figure: return figure(t.index);
            case TokenKind::Boundary:
                if (cur_ && t.depth == cur_->depth) cur_->strongest = std::max<int>(cur_->strongest, t.strength);
                return;
            case TokenKind::SentenceEnd:
                if (!cur_) return;
                // Shares end with their sentence: the next one's, with no count to tie
                // them to the same whole ("…微信公众号占15.7%。本地用户占82.3%…"), are of another.
                if (cur_->parts.empty() || cur_->shares_only) return close();
                cur_->sentence_ended = true;
                cur_->strongest = 0;
                return;
            case TokenKind::ParenOpen: return;
            case TokenKind::ParenClose:
                if (cur_ && t.depth < cur_->depth) close();
                return;
            case TokenKind::Qizhong: return qizhong(t);
            case TokenKind::Zhong: return zhong(t);
            case TokenKind::Hedge: return hedge(t);
            case TokenKind::NotAll:
                if (cur_ && !cur_->parts.empty() && seen_ > 0) {
                    std::size_t last = cur_->parts.back();
                    if (seen_ - 1 == last || seen_ - 1 == figs_[last].share) cur_->partial = true;
                }
                return;
        }
    }

    // A word inside the parentheses of an open list's part: "A件（其中x件…）".
    bool nested(const Token& t) const {
        return cur_ && t.depth > cur_->depth && cur_->opener != Opener::Run && !cur_->parts.empty();
    }

    void qizhong(const Token& t) {
        if (nested(t)) return;
        std::size_t own = own_total(t);
        bool still_a_part = false;
        if (own == npos) own = broken_down_next(t, still_a_part);
        if (own != npos && !still_a_part) cur_->parts.pop_back();
        close();
        open(Opener::Qizhong, t, own != npos ? own : total_before(t));
        // "…合计占98%，其中门户网站占82.3%…": its shares break down that share.
        if (seen_ > 0) {
            const ScannedFigure& before = figs_[seen_ - 1];
            cur_->after_share = before.percent && before.share_of == npos && before.figure.sentence == t.sentence;
        }
    }

    void zhong(const Token& t) {
        if (nested(t)) return;
        if (t.index != npos) {
            // The figure was read as a part of whatever was open; it is this list's total.
            if (cur_ && !cur_->parts.empty() && cur_->parts.back() == t.index) cur_->parts.pop_back();
            close();
            open(Opener::FigureZhong, t, t.index);
        } else {
            close();
            open(Opener::LabelZhong, t, npos);
            cur_->label = scan_.labels[t.label];
        }
    }

    void hedge(const Token& t) {
        if (nested(t)) return;
        if (cur_ && cur_->parts.empty() && cur_->opener != Opener::Run) {
            cur_->partial = cur_->partial || t.partial;  // "其中主要包括…"
            if (t.label != npos) cur_->names = scan_.respective_names[t.label];  // "其中自然人、法人分别为…"
            return;
        }
        close();
        open(Opener::Hedge, t, npos);
        cur_->partial = t.partial;
        if (t.label != npos) cur_->names = scan_.respective_names[t.label];
        cur_->figures_before = seen_;
    }

    void figure(std::size_t f) {
        seen_ = f + 1;
        const ScannedFigure& fig = figs_[f];
        if (fig.percent) {
            if (cur_ && !cur_->parts.empty() && fig.share_of == cur_->parts.back())
                cur_->strongest = 0;
            else if (fig.share_of == npos && !respective_shares(f) && !count_in_parentheses(f))
                share(f);
            return;
        }
        if (cur_ && cur_->shares_only) {
            if (fig.depth > cur_->depth) return;  // "门户网站占82.3%（1032条）"
            if (states_change(fig.figure.context)) return;  // "较上年提高2.1个百分点"
            interrupt(f);
        }
        if (cur_ && cur_->sentence_ended) {
            if (continues(f)) {
                cur_->sentence_ended = false;
                cur_->strongest = 0;
            } else {
                close();
            }
        }
        if (cur_) {
            if (fig.depth > cur_->depth) return;  // a remark inside a part: "（含…157件）"
            // "其中门户网站公开1032条，同比增加300条；微信公众号公开222条": the change
            // belongs to the part before it, and the list goes on after it; so does a
            // figure of another year ("收到121件，上年度为100件，上年结转5件").
            if (!cur_->parts.empty() &&
                (states_change(fig.figure.context) || year_of(fig) != year_of(figs_[cur_->parts.front()])))
                return;
            retarget_total(fig);
            if (fig.total_word && states_bare_total(fig) && cur_->opener == Opener::Run && cur_->total == npos &&
                cur_->parts.size() >= 2 && unit_fits(fig)) {
                cur_->total = f;  // "A件、B件、C件，共计X件"
                cur_->total_stated = true;
                return close();
            }
            bool part = !fig.total_word && fig.depth == cur_->depth && unit_fits(fig) && !shares_complete();
            // "…A件，B件；共办理…": the list ended at the stronger stop
            if (part && !separated_as_before()) part = false;
            if (part && counts_complete(fig)) part = false;
            if (part) return add(f);
            close();
        }
        Token start;
        start.depth = fig.depth;
        start.sentence = fig.figure.sentence;
        open(Opener::Run, start, npos);
        add(f);
    }

    // "分别为20件、80件、20件，分别占16.7%、66.7%、16.7%": percentages that name the open
    // list's parts at once, in order, one each. They are its parts' shares when they
    // follow its parts in their sentence, the first says 分别占 (or 依次占), the others
    // are joined to it with no words of their own, and there are as many as parts
    // that have none. Otherwise they stay unowned, as before.
    bool respective_shares(std::size_t f) {
        if (!cur_ || cur_->shares_only || cur_->parts.size() < 2) return false;
        const ScannedFigure& first = figs_[f];
        const std::string& words = first.figure.context;
        if (words.find("分别占") == std::string::npos && words.find("依次占") == std::string::npos) return false;
        const ScannedFigure& last_part = figs_[cur_->parts.back()];
        if (first.depth != cur_->depth || first.figure.sentence != last_part.figure.sentence) return false;
        for (std::size_t p : cur_->parts)
            if (figs_[p].share != npos) return false;
        const std::size_t n = cur_->parts.size();
        if (f + n > figs_.size()) return false;
        for (std::size_t k = f + 1; k < f + n; ++k) {
            const ScannedFigure& g = figs_[k];
            if (!g.percent || g.share_of != npos || g.depth != first.depth || g.figure.sentence != first.figure.sentence ||
                !g.figure.context.empty())
                return false;
        }
        // One more percentage of the run would leave a part with two.
        if (f + n < figs_.size()) {
            const ScannedFigure& next = figs_[f + n];
            if (next.percent && next.share_of == npos && next.figure.sentence == first.figure.sentence &&
                next.figure.context.empty())
                return false;
        }
        cur_->all_shares = true;
        cur_->share_sum = 0;
        for (std::size_t i = 0; i < n; ++i) {
            figs_[cur_->parts[i]].share = f + i;
            figs_[f + i].share_of = cur_->parts[i];
            cur_->share_sum += figs_[f + i].figure.value.number;
        }
        return true;
    }

    // "其中予以公开占55.8%（139件），部分公开占14.3%（33件）": a count in parentheses right
    // after "X占a%" is X's count, and the percentage its share, as in "予以公开139件（55.8%）":
    // the count takes X for its words and the percentage's depth, and is read as a part.
    bool count_in_parentheses(std::size_t f) {
        ScannedFigure& share = figs_[f];
        if (f + 1 >= figs_.size()) return false;
        ScannedFigure& count = figs_[f + 1];
        if (count.percent || count.share != npos || count.depth != share.depth + 1 || count.block != share.block ||
            count.figure.sentence != share.figure.sentence || !count.figure.context.empty() || count.begin > share.end + 3 ||
            (count.before != U'(' && count.before != U'（'))
            return false;
        const std::optional<ShareWords> words = share_words(share.figure.context);
        if (!words || words->approximate || words->total || !words->whole.empty()) return false;
        count.figure.context = std::string(words->label);
        count.depth = share.depth;
        count.share = f;
        share.share_of = f + 1;
        return true;
    }

    // Whether the stop before a new part is no stronger than the one between the
    // parts so far (the first two parts set it).
    bool separated_as_before() {
        if (cur_->parts.empty() || cur_->across_blocks) return true;
        if (cur_->separator == 0) {
            cur_->separator = std::max(1, cur_->strongest);
            return true;
        }
        return cur_->strongest <= cur_->separator;
    }

    // The sum of the open list's first `n` parts, when each is a count written exactly,
    // and its stated total, when that is one: nullopt otherwise.
    std::optional<std::pair<double, double>> exact_sum(std::size_t n) const {
        const OpenList& list = *cur_;
        if (list.shares_only || list.total == npos || !list.total_stated) return std::nullopt;
        const gouji::Value& total = figs_[list.total].figure.value;
        if (!total.has_number() || total.approximate) return std::nullopt;
        double sum = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const gouji::Value& v = figs_[list.parts[k]].figure.value;
            if (!v.has_number() || v.approximate) return std::nullopt;
            sum += v.number;
        }
        return std::make_pair(sum, total.number);
    }

    // "其中予以公开42件，占51.85%；…其他处理2件，占2.47%；行政复议案件2件、行政诉讼案件7件":
    // in a list whose parts state shares, counts that reach the stated total exactly
    // end it at a count that states none, as shares that make 100 do — whatever the
    // shares written add up to (one mistyped or left out). A count that states its
    // share, or a 0, goes on with the list (its rules judge an overshoot).
    bool counts_complete(const ScannedFigure& next) const {
        const OpenList& list = *cur_;
        if (next.share != npos || list.parts.size() < 2 || !next.figure.value.has_number() || next.figure.value.number == 0)
            return false;
        if (std::none_of(list.parts.begin(), list.parts.end(), [&](std::size_t p) { return figs_[p].share != npos; }))
            return false;
        const auto sum = exact_sum(list.parts.size());
        return sum && sum->first == sum->second;
    }

    // "新收231件，其中自然人申请215件，法人或其他组织申请16件，办结226件，其中予以公开…":
    // the count right before a 其中, read as a further part of the open list though the
    // parts before it already reach that list's total exactly, is the total of the new
    // list, not a part of the old one. npos when it is not so.
    std::size_t own_total(const Token& t) const {
        if (!cur_ || cur_->parts.size() < 3 || seen_ == 0) return npos;
        const std::size_t last = cur_->parts.back();
        if (seen_ - 1 != last && seen_ - 1 != figs_[last].share) return npos;
        if (figs_[last].depth != t.depth || figs_[last].figure.sentence != t.sentence) return npos;
        const auto sum = exact_sum(cur_->parts.size() - 1);
        return sum && sum->first == sum->second ? last : npos;
    }

    // "新收231件，其中自然人申请215件，法人或其他组织申请15件，办结226件，其中予以公开129件，
    // …其他处理16件": the count right before a 其中 whose next counts, two or more of them
    // in its sentence, add up to it exactly is what they break down, whatever the parts
    // before it make (215 + 15 is the report's slip, which own_total cannot see past).
    // npos when it is not so. When the open list needs it to reach its total, it stays
    // one of its parts too (`still_a_part`): "网上申请60件，当面申请40件，其中现场申请30件，
    // 电话申请10件" breaks down a part.
    std::size_t broken_down_next(const Token& t, bool& still_a_part) const {
        if (!cur_ || cur_->shares_only || cur_->parts.size() < 2 || seen_ == 0) return npos;
        const std::size_t last = cur_->parts.back();
        if (seen_ - 1 != last && seen_ - 1 != figs_[last].share) return npos;
        const ScannedFigure& candidate = figs_[last];
        if (candidate.depth != t.depth || candidate.figure.sentence != t.sentence) return npos;
        const gouji::Value& whole = candidate.figure.value;
        if (!whole.has_number() || whole.approximate || whole.number <= 0) return npos;
        double sum = 0;
        int counts = 0;
        for (std::size_t k = token_ + 1; k < scan_.tokens.size(); ++k) {
            const Token& u = scan_.tokens[k];
            if (u.sentence != t.sentence || (u.kind == TokenKind::ParenClose && u.depth < t.depth)) break;
            if ((u.kind == TokenKind::Qizhong || u.kind == TokenKind::Zhong || u.kind == TokenKind::Hedge) &&
                u.depth == t.depth)
                break;
            if (u.kind != TokenKind::Figure) continue;
            const ScannedFigure& g = figs_[u.index];
            if (g.depth != t.depth || g.percent) continue;
            const gouji::Value& v = g.figure.value;
            if (!v.has_number() || v.approximate || v.unit != whole.unit) break;
            sum += v.number;
            if (++counts >= 2 && sum == whole.number) {
                const auto with_it = exact_sum(cur_->parts.size());
                still_a_part = with_it && with_it->first == with_it->second;
                return last;
            }
            if (sum > whole.number) break;
        }
        return npos;
    }

    // A percentage that no count before it owns. A share ("门户网站占82.3%") is a part
    // of a list of shares, which opens at it or takes over a list opened by 其中, "X中"
    // or an enumeration word that has no part yet; in a list of counts it ends that
    // list. Any other percentage leaves a list of counts alone, as it always did, but
    // in a list of shares it is a remark on the part before it ("同比增长12.5%") or
    // something else, which ends the list.
    void share(std::size_t f) {
        const ScannedFigure& fig = figs_[f];
        if (fig.figure.sentence == poisoned_sentence_) return;
        const std::optional<ShareWords> words = share_words(fig.figure.context);
        if (cur_ && cur_->shares_only) {
            if (fig.depth > cur_->depth) return;
            // "A占43.4%，B占6.6%，两项合计占50%": the shares make up 50, not the whole.
            if (words && words->total) {
                cur_->spoiled = true;
                return close();
            }
            if (!words) {
                if (!states_change(fig.figure.context)) interrupt(f);
                return;
            }
            bool part = fig.depth == cur_->depth && words->whole == cur_->whole && !shares_complete();
            if (part && !separated_as_before()) part = false;
            if (part) return add(f);
            close();
        } else if (!words || words->total) {
            return;
        } else if (cur_ && cur_->parts.empty() && cur_->opener != Opener::Run && fig.depth == cur_->depth) {
            // "其中，门户网站占82.3%…", "办理结果中，予以公开占43.4%…": shares of the
            // count before, or of the whole the words name; no count of theirs to sum.
            OpenList& list = *cur_;
            list.shares_only = true;
            list.total = npos;
            list.total_stated = false;
            list.whole = std::string(words->whole);
            list.spoiled = list.after_share;
            return add(f);
        } else {
            close();
        }
        Token start;
        start.depth = fig.depth;
        start.sentence = fig.figure.sentence;
        open(Opener::Run, start, npos);
        cur_->shares_only = true;
        cur_->whole = std::string(words->whole);
        add(f);
    }

    // A figure that is no part of the open list of shares, in its sentence: the list
    // ends at it. When shares go on after it in the sentence ("A占40%，B占30%，增长5%，
    // C占30%"), or it has a share of its own ("A占43.4%，B占6.6%，两项占50%"), which
    // of them make up a whole is unclear: none is a list.
    void interrupt(std::size_t f) {
        const std::size_t sentence = figs_[f].figure.sentence;
        for (std::size_t k = f + 1; k < figs_.size() && k - f <= kLookBack; ++k) {
            const ScannedFigure& g = figs_[k];
            if (g.figure.sentence != sentence) break;
            // Any 占 will do: "两项合计占50%" leaves 50% the context 占 alone.
            const bool share = g.share_of == npos ? g.depth == cur_->depth && g.figure.context.find("占") != std::string::npos
                                                  : g.share_of == f;
            if (g.percent && share) {
                cur_->spoiled = true;
                poisoned_sentence_ = sentence;
                break;
            }
        }
        close();
    }

    // The year a figure's words name, 0 for this year's (named or not). When the
    // report's year is unknown, only 上年, 前年… are sure to name another (a year
    // written may be the report's).
    int year_of(const ScannedFigure& g) const {
        const int year = g.figure.year;
        return year == report_year_ || (report_year_ == 0 && year > 0) ? 0 : year;
    }

    // Whether a count's words make it a change from an earlier year ("同比增加",
    // "比上年多", "较2020年增长"): no part of a list, but a remark on the part before.
    static bool states_change(std::string_view context) {
        for (std::string_view word : {"同比", "环比", "比上年", "较上年", "比去年", "较去年", "比上一年", "较上一年", "比20", "较20"})
            if (context.find(word) != std::string_view::npos) return true;
        return false;
    }

    // "收到申请10件，涉及5个部门，其中自然人申请8件…": the count right before 其中 is
    // of another unit than the first part, so 其中 breaks down the sentence's last
    // count in the part's unit (10件), or, without one, a total inferred at the end.
    void retarget_total(const ScannedFigure& first_part) {
        OpenList& list = *cur_;
        if (list.opener != Opener::Qizhong || !list.parts.empty() || !list.total_stated || !list.unit_known) return;
        const std::string& unit = first_part.figure.value.unit;
        if (first_part.percent || first_part.total_word || first_part.depth != list.depth || unit.empty() ||
            unit == list.unit)
            return;
        const std::size_t before = list.total;
        list.total = npos;
        list.total_stated = false;
        list.unit = unit;
        for (std::size_t k = before; k-- > 0 && before - k <= kLookBack;) {
            const ScannedFigure& g = figs_[k];
            if (g.figure.sentence != figs_[before].figure.sentence) break;
            if (!is_free_count(g, list.depth, unit)) continue;
            list.total = k;
            list.total_stated = true;
            return;
        }
    }

    // "主动公开1250条，上年度为1100条，其中…": the parts are this year's, and break down
    // the last count of their year before 其中 in its sentence, not last year's.
    void retarget_year(OpenList& list) const {
        const ScannedFigure& total = figs_[list.total];
        const int year = year_of(figs_[list.parts.front()]);
        if (year_of(total) == year) return;
        for (std::size_t k = list.total; k-- > 0 && list.total - k <= kLookBack;) {
            const ScannedFigure& g = figs_[k];
            if (g.figure.sentence != total.figure.sentence) return;
            if (is_free_count(g, total.depth, total.figure.value.unit) && year_of(g) == year) {
                list.total = k;
                return;
            }
        }
    }

    // Parts whose percentages already make up the whole: what follows is something else.
    // Percentages past 100 by more than rounding make up nothing: one of them is wrong
    // (for the percentage rules to say), and the list goes on to its real end.
    bool shares_complete() const {
        return !cur_->parts.empty() && cur_->all_shares && cur_->share_sum >= 99.0 && cur_->share_sum <= 101.0;
    }

    static bool states_bare_total(const ScannedFigure& fig) { return char_count(fig.figure.context) <= 4; }

    bool unit_fits(const ScannedFigure& fig) const {
        const std::string& unit = fig.figure.value.unit;
        return !cur_->unit_known || unit.empty() || unit == cur_->unit;
    }

    void add(std::size_t f) {
        const std::string& unit = figs_[f].figure.value.unit;
        if (!cur_->unit_known && !unit.empty()) {
            cur_->unit = unit;
            cur_->unit_known = true;
        }
        cur_->parts.push_back(f);
        cur_->strongest = 0;
        if (cur_->shares_only)
            cur_->share_sum += figs_[f].figure.value.number;
        else if (figs_[f].share == npos)
            cur_->all_shares = false;
        else
            cur_->share_sum += figs_[figs_[f].share].figure.value.number;
    }

    // A new sentence goes on with the list when it opens with the same kind of part:
    // "…1509条，占71.11%。各乡镇…613条，占28.89%" — or a scraper's stray 。 cut a
    // run of "label”count" parts ("…补充”33件。告知通过其他途径办理”32件").
    bool continues(std::size_t f) const {
        const ScannedFigure& fig = figs_[f];
        const ScannedFigure& last = figs_[cur_->parts.back()];
        if (fig.depth != 0 || cur_->depth != 0 || fig.block != last.block) return false;
        if (fig.figure.sentence != last.figure.sentence + 1) return false;
        if (f > 0 && figs_[f - 1].figure.sentence == fig.figure.sentence) return false;
        if (!unit_fits(fig) || fig.total_word) return false;
        if (cur_->all_shares) return fig.share != npos && cur_->share_sum < 99.5;
        if (fig.share != npos) return false;
        return last.before == U'”' && fig.before == U'”';
    }

    // The total a 其中 refers to: the last count before it in its sentence (the list's
    // total when that count is a part of a list: "8件中，A 7件，B 1，其中…"), else the
    // last count of the sentence before ("总数为1236条。其中：…").
    std::size_t total_before(const Token& t) const {
        for (std::size_t k = seen_; k-- > 0 && seen_ - k <= kLookBack;) {
            const ScannedFigure& g = figs_[k];
            if (g.figure.sentence + 1 < t.sentence) break;
            if (g.percent) continue;
            if (g.figure.sentence == t.sentence) {
                if (g.depth > t.depth) continue;
                if (g.list != npos && lists_[g.list].total) return *lists_[g.list].total - base_;
                return k;
            }
            if (g.depth == 0) return k;
        }
        return npos;
    }

    // A count at `depth` in `unit` that is not a list's part: what a 其中 may break down.
    static bool is_free_count(const ScannedFigure& g, int depth, const std::string& unit) {
        return !g.percent && g.depth == depth && g.list == npos && g.figure.value.unit == unit;
    }

    // The other counts of the sentence of `total`, at its depth and in its unit, that
    // are not themselves parts of a list, in document order: those before it when
    // not `after_too`. 其中 may break down an earlier count of its sentence than the
    // one right before it ("收到申请10件，上年结转3件，其中自然人9件…"); a total inferred
    // from the sentence before a list that names none may be any of its counts
    // ("全年共收到75件，上年结转3件，办结76件。从办理结果看，予以公开33件…" takes 75, the
    // sentence's 共-count, where the parts break down 办结 76). Grammar cannot tell
    // which; the numbers can, and the rules decide.
    std::vector<std::size_t> sentence_totals(std::size_t total, bool after_too) const {
        const ScannedFigure& t = figs_[total];
        std::vector<std::size_t> out;
        if (t.figure.value.unit.empty()) return out;
        std::size_t first = total;
        while (first > 0 && total - first < kLookBack && figs_[first - 1].figure.sentence == t.figure.sentence) --first;
        const std::size_t end = after_too ? std::min(figs_.size(), first + 2 * kLookBack + 1) : total;
        for (std::size_t k = first; k < end; ++k) {
            const ScannedFigure& g = figs_[k];
            if (g.figure.sentence != t.figure.sentence) break;
            // A count of another year is no total of this one's parts ("上年度为100件").
            if (k != total && is_free_count(g, t.depth, t.figure.value.unit) && year_of(g) == year_of(t))
                out.push_back(base_ + k);
        }
        return out;
    }

    void open(Opener opener, const Token& at, std::size_t total) {
        OpenList list;
        list.opener = opener;
        list.depth = at.depth;
        list.sentence = at.sentence;
        list.total = total;
        list.total_stated = total != npos;
        if (total != npos && !figs_[total].figure.value.unit.empty()) {
            list.unit = figs_[total].figure.value.unit;
            list.unit_known = true;
        }
        cur_ = std::move(list);
    }

    bool same_unit(const ScannedFigure& g, const OpenList& list) const {
        return !list.unit_known || g.figure.value.unit == list.unit;
    }

    // Whether `g` is the count a "X中" list names ("办结的申请中": 办结95件).
    static bool named_by_label(const OpenList& list, const ScannedFigure& g) {
        const std::string& context = g.figure.context;
        if (list.opener != Opener::LabelZhong || list.label.empty() || context.empty()) return false;
        return starts_with(context, list.label) || starts_with(list.label, context);
    }

    // The count a 分别为 list right after `k` breaks down. `k` itself, unless it is a part
    // of a list of its sentence: "收到申请120件，其中自然人、法人分别为100件、20件，网上申请、
    // 当面申请分别为80件、40件" is a second breakdown of that list's total (120), not of
    // its last part (20) — unless the parts make up that part exactly and not the total
    // ("…法人20件，商业企业、科研机构分别为15件、5件").
    std::size_t breakdown_of(const OpenList& list, std::size_t k) const {
        const ScannedFigure& g = figs_[k];
        if (g.list == npos || !lists_[g.list].total) return k;
        const std::size_t whole = *lists_[g.list].total - base_;
        double parts = 0;
        for (std::size_t p : list.parts) parts += figs_[p].figure.value.number;
        const gouji::Value& part = g.figure.value;
        const bool of_the_part = part.has_number() && part.number == parts &&
                                 !(figs_[whole].figure.value.has_number() && figs_[whole].figure.value.number == parts);
        return of_the_part ? k : whole;
    }

    // A list that opens without a stated total: the figure its "X中" names, a count
    // just before its enumeration word, or a "共…X件" in this or the previous sentence.
    std::size_t inferred_total(const OpenList& list) const {
        const std::size_t first = list.parts.front();
        const ScannedFigure& head = figs_[first];
        if (list.opener == Opener::LabelZhong && !list.label.empty()) {
            for (std::size_t k = first; k-- > 0 && first - k <= kLookBack;) {
                const ScannedFigure& g = figs_[k];
                if (g.block != head.block) break;
                if (g.percent || !same_unit(g, list)) continue;
                if (named_by_label(list, g)) return k;
            }
        }
        if (list.opener == Opener::Hedge) {
            for (std::size_t k = list.figures_before; k-- > 0 && list.figures_before - k <= kLookBack;) {
                const ScannedFigure& g = figs_[k];
                if (g.figure.sentence != list.sentence) break;
                if (!g.percent && g.depth <= list.depth && same_unit(g, list)) return breakdown_of(list, k);
            }
        }
        for (std::size_t k = first; k-- > 0 && first - k <= kLookBack;) {
            const ScannedFigure& g = figs_[k];
            if (g.block != head.block || g.figure.sentence + 1 < head.figure.sentence) break;
            if (g.percent || g.depth != 0 || !same_unit(g, list)) continue;
            if (g.list != npos) continue;
            if (g.total_word) return k;
            // Another count of its sentence that no list explains: the list does not open it.
            if (g.figure.sentence == head.figure.sentence) return npos;
        }
        return npos;
    }

    void close() {
        if (!cur_) return;
        OpenList list = std::move(*cur_);
        cur_.reset();
        if (list.spoiled || list.parts.empty()) return;
        // One part is a list only as a share of a stated whole ("办结118件，其中予以公开50件，
        // 占52.4%"): its percentage is still the part's share of that whole.
        const bool one_share = list.parts.size() == 1 && !list.shares_only && list.total != npos &&
                               figs_[list.parts.front()].share != npos &&
                               (list.opener == Opener::Qizhong || list.opener == Opener::FigureZhong);
        if (list.parts.size() < 2 && !one_share) return;
        if (list.shares_only) return close_shares(list);
        if (list.opener == Opener::Run && list.total == npos && !list.all_shares) return;
        if (list.total == npos) list.total = inferred_total(list);
        else if (list.opener == Opener::Qizhong && list.total_stated) retarget_year(list);
        // "…其他应主动公开政府信息856条": a catch-all last part makes the list whole.
        if (names_the_rest(figs_[list.parts.back()].figure.context)) list.partial = false;

        FigureList out;
        if (list.total != npos) out.total = base_ + list.total;
        if (list.opener == Opener::Qizhong && list.total != npos && list.total_stated) {
            out.other_totals = sentence_totals(list.total, false);
            // "…其他处理5件。其中，在法定期限内办结74件，经延长答复期限办结2件。": a 其中
            // that opens a sentence may break down the last part of the list before it
            // (5件), or what that list broke down (办结76件) when every part says so:
            // each part's words hold the count's ("办结"). Any count of that list
            // would let small parts pass for 上年结转 or 结转下年度 by chance.
            // When that list itself opened its own sentence and broke down counts of
            // the sentence before, the second 其中 may be another breakdown of one of
            // those counts (by outcome after by applicant): "…办结76件，结转下年度继续办理
            // 2件。其中自然人申请58件，法人或其他组织申请17件。其中予以公开33件…" adds up
            // to 76, which 17 cannot hold. Only a count the parts add up to exactly is
            // taken so: parts that overshoot their part by a slip ("其中商业企业12件，
            // 科研机构2件，其他5件" after 17件) are that part's breakdown, wrong.
            const ScannedFigure& t = figs_[list.total];
            if (t.list != npos && t.figure.sentence < list.sentence) {
                const FigureList& whole = lists_[t.list];
                double parts_sum = 0;
                for (std::size_t part : list.parts) parts_sum += figs_[part].figure.value.number;
                const bool parallel = whole.total && !whole.parts.empty() &&
                                      figs_[*whole.total - base_].figure.sentence <
                                          figs_[whole.parts.front().count - base_].figure.sentence &&
                                      t.figure.value.has_number() && parts_sum > t.figure.value.number;
                std::vector<std::size_t> wider;
                if (whole.total) wider.push_back(*whole.total);
                wider.insert(wider.end(), whole.other_totals.begin(), whole.other_totals.end());
                for (std::size_t w : wider) {
                    // Each list inherits the counts of the one before: unbounded, a run of
                    // such sentences made every list carry all earlier counts (cubic).
                    if (w + kLookBack < base_ + list.total) continue;
                    const gouji::Value& count = figs_[w - base_].figure.value;
                    const bool broken_down_exactly = parallel && count.has_number() && count.number == parts_sum;
                    const std::string& named = figs_[w - base_].figure.context;
                    const bool every_part_names_it =
                        !named.empty() && std::all_of(list.parts.begin(), list.parts.end(), [&](std::size_t part) {
                            return figs_[part].figure.context.find(named) != std::string::npos;
                        });
                    if ((broken_down_exactly || every_part_names_it) && w != base_ + list.total &&
                        std::find(out.other_totals.begin(), out.other_totals.end(), w) == out.other_totals.end())
                        out.other_totals.push_back(w);
                }
            }
        }
        else if (list.total != npos && !list.total_stated && !named_by_label(list, figs_[list.total]) &&
                 figs_[list.total].figure.sentence != figs_[list.parts.front()].figure.sentence)
            out.other_totals = sentence_totals(list.total, true);
        out.partial = list.partial;
        // "120件，其中自然人申请100件，法人或其他组织申请20件，网上申请80件，当面申请20件，
        // 信函申请20件": two breakdowns of one total, one list each.
        std::size_t first = 0;
        for (std::size_t end : breakdown_ends(list, out)) {
            FigureList segment = out;
            for (std::size_t k = first; k < end; ++k) {
                const std::size_t p = list.parts[k];
                FigureList::Part part;
                part.count = base_ + p;
                if (figs_[p].share != npos) part.percent = base_ + figs_[p].share;
                part.label = figs_[p].figure.context;
                // "微博、微信、抖音分别为60条、180条、60条": the counts have no words of their own
                // (but the 和 of "100件和20件").
                if ((part.label.empty() || part.label == "和" || part.label == "及" || part.label == "与") &&
                    list.names.size() == list.parts.size())
                    part.label = list.names[k];
                segment.parts.push_back(std::move(part));
                figs_[p].list = lists_.size();
            }
            write_text(list, segment, first, end - 1);
            lists_.push_back(std::move(segment));
            first = end;
        }
    }

    // Where the parts of a list break down its total more than once: the ends (one past
    // the last part) of runs of two or more parts that each add up exactly to the total
    // or to one of the other counts the parts may break down, when every part is in one
    // such run; otherwise the one run of all parts. The parts' running sum reaching the
    // total exactly and starting again says so, as percentages that make 100 do (the
    // list finder ends a list there); parts that overshoot with no such break are one
    // list, and wrong.
    std::vector<std::size_t> breakdown_ends(const OpenList& list, const FigureList& out) const {
        const std::vector<std::size_t> whole{list.parts.size()};
        if (list.parts.size() < 4 || !out.total) return whole;
        for (std::size_t p : list.parts)
            if (!figs_[p].figure.value.has_number() || figs_[p].figure.value.approximate) return whole;
        std::vector<std::size_t> candidates{*out.total};
        candidates.insert(candidates.end(), out.other_totals.begin(), out.other_totals.end());
        for (std::size_t c : candidates) {
            const gouji::Value& total = figs_[c - base_].figure.value;
            if (!total.has_number() || total.approximate || total.number <= 0) continue;
            std::vector<std::size_t> ends;
            double sum = 0;
            std::size_t since = 0;
            for (std::size_t k = 0; k < list.parts.size(); ++k) {
                sum += figs_[list.parts[k]].figure.value.number;
                ++since;
                if (since >= 2 && std::abs(sum - total.number) <= 1e-9 * total.number) {
                    ends.push_back(k + 1);
                    sum = 0;
                    since = 0;
                }
            }
            if (since == 0 && ends.size() >= 2 && named_apart(list, ends)) return ends;
        }
        return whole;
    }

    // Whether the runs of parts ending at `ends` name different things, as breakdowns
    // by different measures do (自然人…法人 / 网上…当面…信函): every part has words of its
    // own, and no words but "其他…" recur in two runs. A sum that merely comes out right
    // twice ("培训10次，其中5次、5次、5次、5次": 20 counted of 10) is one list, and wrong.
    bool named_apart(const OpenList& list, const std::vector<std::size_t>& ends) const {
        std::size_t first = 0;
        for (std::size_t run = 0; run < ends.size(); ++run) {
            for (std::size_t k = first; k < ends[run]; ++k) {
                const std::string& label = figs_[list.parts[k]].figure.context;
                if (label.empty()) return false;
                if (names_the_rest(label)) continue;
                for (std::size_t j = 0; j < first; ++j)
                    if (figs_[list.parts[j]].figure.context == label) return false;
            }
            first = ends[run];
        }
        return true;
    }

    // A list of shares has no total and no counts: each part's count is its share
    // (FigureList::Part::count names a figure), which the rules tell by its unit, %.
    // "主要渠道为门户网站占60%…" says, in its first part's words, that it is not all.
    void close_shares(const OpenList& list) {
        // "约占…": shares said to be rough add up to nothing in particular.
        if (std::any_of(list.parts.begin(), list.parts.end(),
                        [&](std::size_t p) { return share_words(figs_[p].figure.context)->approximate; }))
            return;
        // "网上可办率占98%，全程网办率占85%": rates, each of its own whole.
        if (std::any_of(list.parts.begin(), list.parts.end(),
                        [&](std::size_t p) { return share_words(figs_[p].figure.context)->label.ends_with("率"); }))
            return;
        // Shares with no counts are more often a few highlights ("政策法规类占35.2%，人事信息类
        // 占10.5%", "行政许可事项占全市的15%…") than a breakdown. They claim the whole only
        // when they come near it, or end with 其他: then what they add up to is judged. Those
        // the words call partial ("主要有…") are held to cover most of it, as a count list is.
        double sum = 0;
        for (std::size_t p : list.parts) sum += figs_[p].figure.value.number;
        const std::string_view last_label = share_words(figs_[list.parts.back()].figure.context)->label;
        const bool closed = names_the_rest(last_label);
        const bool partial_by_words =
            list.partial || std::any_of(list.parts.begin(), list.parts.end(), [&](std::size_t p) {
                return share_words(figs_[p].figure.context)->label.find("主要") != std::string_view::npos;
            });
        if (!closed && !partial_by_words && (sum < 90.0 || sum > 110.0)) return;
        FigureList out;
        for (std::size_t p : list.parts) {
            FigureList::Part part;
            part.count = base_ + p;
            part.percent = base_ + p;
            part.label = std::string(share_words(figs_[p].figure.context)->label);
            if (part.label.find("主要") != std::string::npos) out.partial = true;
            out.parts.push_back(std::move(part));
            figs_[p].list = lists_.size();
        }
        out.partial = (out.partial || list.partial) && !names_the_rest(out.parts.back().label);
        write_text(list, out, 0, list.parts.size() - 1);
        lists_.push_back(std::move(out));
    }

    // The text of parts `first_part` to `last_part` of `list`, from its stated total
    // when they are its first (a second breakdown of the total starts at its own words).
    void write_text(const OpenList& list, FigureList& out, std::size_t first_part, std::size_t last_part) const {
        const ScannedFigure& head = figs_[list.parts[first_part]];
        const ScannedFigure& tail = figs_[list.parts[last_part]];
        std::size_t first_block = head.label_block, begin = head.label_begin;
        if (list.total != npos && list.total_stated && first_part == 0) {
            const ScannedFigure& total = figs_[list.total];
            if (total.block < first_block || (total.block == first_block && total.begin < begin)) {
                first_block = total.block;
                begin = total.begin;
            }
        }
        std::size_t end = tail.end;
        if (tail.share != npos) end = std::max(end, figs_[tail.share].end);
        // The scan kept no text: the blocks the list spans are decoded again, the
        // last one only up to the character after the list.
        const BlockText& last = decoded(tail.block, last_, end + 1);
        if (end < last.chars.size() && last.chars[end] == U')' && tail.share != npos &&
            (figs_[tail.share].depth > tail.depth || figs_[tail.share].end <= tail.begin))  // "占20%（350条）"
            ++end;
        if (first_block == tail.block) {
            out.pos = last.position_of(begin);
            out.text = last.original_text(begin, end);
            return;
        }
        const BlockText& first = decoded(first_block, first_);
        out.pos = first.position_of(begin);
        out.text = first.original_text(begin, first.chars.size());
        for (std::size_t b = first_block + 1; b < tail.block; ++b) {
            const BlockText& middle = decoded(b, middle_);
            out.text += '\n' + middle.original_text(0, middle.chars.size());
        }
        out.text += '\n' + last.original_text(0, end);
    }

    // A block decoded for write_text, kept for the next list: one paragraph may hold
    // thousands of lists, and decoding it from its start for each was quadratic.
    struct Decoded {
        BlockText text;
        std::size_t block = npos;
        std::size_t limit = 0;  // characters asked for: the whole block once text is shorter
    };

    // The first `limit` characters of `block` (at least), in `cache`. A block read
    // further than its cache is decoded again to twice as far, so that the lists of
    // one block cost a few decodes of it in all, and a block whose only list is at
    // its start is decoded no further than that.
    const BlockText& decoded(std::size_t block, Decoded& cache, std::size_t limit = npos) const {
        if (cache.block == block && (cache.limit >= limit || cache.text.chars.size() < cache.limit)) return cache.text;
        if (cache.block == block) limit = std::max(limit, cache.limit > npos / 2 ? npos : 2 * cache.limit);
        const ScannedBlock& scanned = scan_.blocks[block];
        cache.text.decode(doc_.blocks[scanned.document_block], limit);
        cache.block = block;
        cache.limit = limit;
        return cache.text;
    }

    Scan& scan_;
    const Document& doc_;
    std::vector<ScannedFigure>& figs_;
    const std::size_t base_;
    const int report_year_;
    std::optional<OpenList> cur_;
    std::vector<FigureList> lists_;
    std::size_t seen_ = 0;  // figures read so far
    std::size_t token_ = 0;  // the token being read, in scan_.tokens
    std::size_t poisoned_sentence_ = npos;  // its shares make no list (interrupt)
    mutable Decoded first_, middle_, last_;  // write_text's decoding buffers
};

}  // namespace

std::vector<FigureList> find_lists(Scan& scan, const Document& doc, std::size_t figure_base, int report_year) {
    return ListFinder(scan, doc, figure_base, report_year).run();
}

}  // namespace gouji::narrative
