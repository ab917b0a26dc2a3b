// The narrative stage's two passes over a document's prose, internal to it:
// scan_block() turns one block's text into figures and list tokens (anchors,
// boundaries, parentheses, sentence ends); find_lists() reads the token stream of
// the whole document and groups figures into lists.
//
// A 50 MB text has close to a million blocks, so a scanned block keeps no text:
// each is decoded into one reused buffer, and what the later passes need of it is
// taken while it is there (a figure's text, context and position, the character
// before it, whether a percentage states the share of the count before it). The
// few blocks a list's text spans are decoded again from the Document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gouji/document.hpp"
#include "gouji/report_model.hpp"

namespace gouji::narrative {

inline constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

// What the scanner puts in Figure::year before extract_narrative knows the report's
// year: a year as written (1900–2199), none (0), or the year the words name relative
// to the report's.
inline constexpr int kThisYear = 1;        // 本年度, 今年, 全年, 当年
inline constexpr int kLastYear = -1;       // 上年, 上一年度, 去年, 前一年
inline constexpr int kYearBeforeLast = -2; // 前年

// One block's text: folded characters (full-width digits and punctuation made
// ASCII, NBSP/U+3000 made spaces) beside the original ones, and the block's place.
// decode() reuses the buffer's capacity: one BlockText serves every block. The
// buffer is never zero-filled (a std::u32string resize would write every slot
// before the decoder does); the views cover what the last decode() wrote.
struct BlockText {
    std::u32string_view chars;     // folded
    std::u32string_view original;  // as written, same length
    SourcePos pos;                 // of the first character
    std::span<const TextAnchor> anchors;  // the block's: views it, as `chars` views the buffer
    std::vector<std::size_t> newlines;  // offsets of '\n' in chars

    // Decodes at most `limit` characters: the list finder needs only a block's start.
    void decode(const Block& block, std::size_t limit = npos);
    SourcePos position_of(std::size_t offset) const;
    std::string original_text(std::size_t begin, std::size_t end) const;

private:
    std::unique_ptr<char32_t[]> buffer_;  // folded characters, then the original ones
    std::size_t capacity_ = 0;            // characters in each half
};

struct ScannedFigure {
    Figure figure;
    std::size_t block = 0;           // index into the scanned blocks
    std::size_t begin = 0, end = 0;  // the figure's text (approximate marker and unit included)
    std::size_t label_block = 0;     // where its context starts: block (an earlier one for a
    std::size_t label_begin = 0;     // sentence broken across lines) and offset
    int depth = 0;                   // parenthesis depth at the number
    bool percent = false;
    bool total_word = false;         // its clause says 共/总/合计: a stated total
    char32_t before = 0;             // the character before `begin`, spaces skipped (0: none)
    std::size_t share = npos;        // count: the percent that states its share
    std::size_t share_of = npos;     // percent: the count it is the share of
    std::size_t list = npos;         // index of the kept list it is a part of
};

enum class TokenKind : std::uint8_t {
    Figure,       // `index` = scanned figure
    Boundary,     // `strength`: 1 、  2 ,  3 ; :
    SentenceEnd,  // 。！？
    ParenOpen,    // depth after it in `depth`
    ParenClose,
    Qizhong,      // 其中
    Zhong,        // "X件中" (`index` = the figure X) or "已答复中" (index = npos, `label`)
    Hedge,        // 主要有 / 主要包括 / 分别为 / 如下…; `partial` when it says the list is not all
    NotAll,       // "等" or "在内" right after a figure
};

struct Token {
    TokenKind kind = TokenKind::Boundary;
    bool partial = false;
    std::int8_t strength = 0;
    int depth = 0;
    std::size_t at = 0;  // offset in the block
    std::size_t sentence = 0;
    std::size_t index = npos;
    std::size_t label = npos;  // Zhong without a figure: the words before 中, in Scan::labels;
                               // a 分别为 Hedge: the names before it, in Scan::respective_names
};

struct ScannedBlock {
    std::size_t document_block = 0;      // index into Document::blocks
    std::size_t length = 0;              // characters
    SourcePos pos;                       // of the first character
    std::size_t newlines = 0;            // line breaks inside it
    std::size_t first_token = 0, end_token = 0;  // its tokens in Scan::tokens
    bool paragraph = true;               // a Paragraph block (not a marked-up heading)
    bool starts_with_numbering = false;  // "1.", "2、", "（三）"…: an item of an enumeration
    int numbering_style = 0;             // 1 "1." 2 "(1)" 3 "（一）" 4 "一、" or "①"; 0 none
    // A line of a sentence broken across lines (plain text of a PDF): the previous
    // block ended mid-sentence, so this one goes on with its sentence and clause.
    bool continues_previous = false;
    // What tells a broken sentence where the lines alone do not (a numbered item,
    // or a blank line between the pieces):
    bool prose = false;             // clause or sentence punctuation past its numbering mark
    bool ends_mid_clause = false;   // its last visible character is ， or 、
    bool opens_mid_clause = false;  // its first one is ，、；：。) or a closing quote
};

// Which characters start a word of a list: one test for the character after each
// number where a search of the list costs one per word.
class FirstChars {
public:
    explicit FirstChars(const std::vector<std::u32string>& words);
    bool has(char32_t c) const {
        if (c < kFirst || c > kLast) return others_.find(c) != std::u32string::npos;
        const std::uint32_t k = c - kFirst;
        return (ideographs_[k >> 6] >> (k & 63)) & 1;
    }

private:
    // CJK Unified Ideographs, where nearly every word starts; others_ holds the rest.
    static constexpr char32_t kFirst = 0x4E00, kLast = 0x9FFF;
    std::vector<std::uint64_t> ideographs_ = std::vector<std::uint64_t>((kLast - kFirst) / 64 + 1);
    std::u32string others_;
};

struct Scan {
    explicit Scan(const NumberWords& number_words = NumberWords::standard())
        : words(&number_words), unit_firsts(number_words.prose_units) {}
    // The catalog's words before a number and after it: outlive the scan.
    const NumberWords* words;
    FirstChars unit_firsts;
    // Blocks are source lines (plain text, Markdown, PDF extracts), so a sentence may
    // run on into the next block; in HTML and DOCX a block is a whole paragraph.
    bool line_blocks = true;
    std::vector<ScannedBlock> blocks;
    std::vector<Token> tokens;
    std::vector<std::string> labels;  // of Zhong tokens without a figure
    std::vector<std::vector<std::string>> respective_names;  // of 分别为 Hedge tokens
    std::vector<ScannedFigure> figures;
    std::size_t sentence = 0;  // index of the sentence being read
    // Carried from the last scanned block for a block that continues it.
    std::u32string open_clause;
    std::size_t open_clause_block = 0, open_clause_begin = 0;
    int open_depth = 0;
    // The years the open sentence and clause name (Figure::year, as the scanner writes it).
    int open_topic_year = 0, open_clause_year = 0;
    bool open_sentence = false;  // the last block ended without closing its sentence
    // The visible characters after the last block's last figure (at most
    // kShareTail of them): a percentage on the next line may state its share.
    std::u32string open_tail;
    static constexpr std::size_t kShareTail = 12;
    // Reused from block to block.
    BlockText text;
    std::u32string carried;
    std::u32string clause, between;  // the block scanner's scratch
};

// True when a paragraph is a table cell that lost its table (plain text scrapes):
// a lone number, "3456160965.06(元)", or a short label ending in a bare number.
bool is_table_cell_text(std::u32string_view folded);

// Appends the figures and tokens of `block` (Document block `index`) to `scan`;
// false when the block is a table cell that lost its table (and was left out).
// A percentage is paired with the count it states the share of ("8件，占88.9%",
// "208 件（17.46%）") as it is read, and takes the count's context.
bool scan_block(const Block& block, std::size_t index, Scan& scan);

// "予以公开、部分公开分别为120件、33件": the names before each 分别为/分别是, in order,
// for the counts after it, as if written "予以公开120件、部分公开33件" (and for the
// percentages paired with those counts as they were scanned: "120件（52%）"). The
// counts are those of its sentence and parenthesis depth with no words of their own
// (but the 和 of "100件和20件"), up to a count with words, a percentage of its own
// (分别占…), a ；or ：, another enumeration word, 其中 or "…中", or the sentence's end;
// remarks in parentheses are stepped over. When there are not as many counts as names,
// which name which is unclear: none is named. Read before find_lists pairs counts with
// percentages of its own; given to the figures after it, as find_lists names a
// 分别为 list's parts itself and reads the counts' words as written.
struct RespectiveName {
    std::size_t figure;  // index into Scan::figures
    std::string name;
};
std::vector<RespectiveName> respective_contexts(const Scan& scan);

// The year a heading's words open with ("（三）2022年度依申请公开情况": 2022, "上年度…":
// kLastYear), as the scanner writes Figure::year; 0 when they name none, or name one
// only by comparison ("与上年度对比情况").
int heading_year(std::string_view title, const NumberWords& words = NumberWords::standard());

// Lists over the whole scan; also sets ScannedFigure::list of their parts. `doc`
// is the scanned document: the lists' text is taken from its blocks. The figures'
// years are resolved (Figure::year, with `report_year`, 0 when unknown): a figure of
// another year than a list's first part is no part of it ("本年度共收到121件，上年度为
// 100件，上年结转5件，共办结118件": 100件 is last year's, a remark).
std::vector<FigureList> find_lists(Scan& scan, const Document& doc, std::size_t figure_base, int report_year = 0);

// Characters BlockText::decode has written on this thread so far: lets the tests
// see that the passes decode a block a bounded number of times, without timing them.
std::size_t decoded_characters();

// Context words: spaces, quotes and markup dropped, leading numbering, dates and
// fillers, trailing verbs and markers trimmed. Exposed for the tests.
std::string normalize_context(std::u32string_view raw);

}  // namespace gouji::narrative
