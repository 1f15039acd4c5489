// Acceptance test of the screen loop on the realistic synthetic patient: scripts/make-realistic
// (24 TIL cultures x 5,000 OLGA clonotypes, 12 NeoTCR neoantigens, 4 reactive clonotypes planted again
// in 1-2 other cultures each), the first `tilmatch run`, scripts/make-screen (ELISpot and 4-1BB/OX40
// wells of the first run's design and matrix pools, sorted/unsorted TCR-seq, a quarter of the cultures
// unscreened), then the second `tilmatch run` with the screen's results, held against the truth
// (screen_truth.tsv); then the second screen (make-screen --round2: the wells of round 2's plan from the
// same truth) and the third run with both readout files, held against screen_truth.round2.tsv.
// Skips without ../shared/data or python3.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/test_support.hpp"
#include "screen/calls.hpp"
#include "screen/deconvolution.hpp"
#include "screen/product.hpp"

namespace tt = tilmatch::test;
namespace fs = std::filesystem;

namespace {

// Figures measured with this test's settings on seeds 1-20 (TILMATCH_SCREEN_SEED=1..20; every assertion
// holds on each), per seed 1..20:
//   construct sensitivity on constructs whose reactivity's expected wells pass the floors (asserted >= 0.80)
//     34/35, 22/22, 32/34, 32/33, 23/23, 40/41, 43/43, 33/33, 37/39, 37/38, 25/25, 36/36, 31/31, 38/38, 32/33,
//     25/28, 30/33, 30/30, 38/38, 27/27 (0.89-1.0); clearly above them (asserted >= 0.90) 1.0 on every seed;
//     over every stimulating construct, sub-floor ones included, printed (below the floors the screen
//     cannot see a reactivity);
//   false-positive rate 0-0.0095 (seed 9: 3/315; asserted <= 0.01), single ELISpot or flow wells sets just
//     over 2x the negatives (3 test wells reach p >= 1/84: every ELISpot call falls back to the 2x rule,
//     asserted as the `rule`/`fallback` columns say);
//   planted reactivities of screened cultures found (reactive or ambiguous) after round 2 17/22, 12/16, 23/27,
//     18/19, 16/18, 22/23, 25/25, 18/20, 15/19, 20/23, 20/21, 19/22, 21/21, 21/22, 21/21, 13/18, 16/18, 18/18,
//     26/27, 14/18; after round 3 23/28, 20/25, 27/34, 24/24, 24/28, 27/29, 31/34, 23/28, 21/26, 23/29, 27/31,
//     25/29, 26/28, 29/32, 29/29, 18/24, 27/29, 25/27, 30/33, 21/25; every miss not clearly above the floors
//     (asserted);
//   reactive calls without a planted reactivity: none on any seed, in either round (asserted; none excused).
//     A resolution by elimination needs a second, agreeing reading (deconvolution.hpp, rule 3); on one it
//     is ambiguous and the next round tests its member alone (asserted). Held so without a planted
//     reactivity (each a reactive call before the rule): seed 15 round 3 T17 SYN0069.Q405C (matrix row
//     DX1.R3, 4-1BB CD8 only at 2.13-fold, crossing a column positive for a planted reactivity: it failed
//     the no-false-reactive assertion), seed 8 round 3 T11 SYN0199.K290T (column DX3.C2, ELISpot only),
//     seed 17 round 3 T05 HIVEP2.P1682L (DX1.R1), seed 20 round 2 T07 KIF1B.S918F (PP1); those three passed
//     then as excused (behind a sub-floor reactivity's construct). What the rule costs: planted reactivities held ambiguous on one reading instead
//     of reactive (still found, and tested alone in the next round), round 2 + round 3, seeds 1..20:
//     0+2, 1+1, 0+1, 1+0, 0+0, 0+0, 1+0, 0+1, 1+0, 0+0, 1+0, 0+0, 1+0, 0+0, 0+1, 1+1, 0+0, 0+0, 1+1, 0+0;
//   unscreened carriers of a proven clonotype rank above the unscreened non-carriers on every seed;
//   the product against the achievable optimum (the best 4 cultures by what a flawless reading of the screens
//     performed would resolve: revealable, read in two assays), as planted neoantigens covered / revealable
//     ones covered / optimum, after round 3 (asserted: planted >= optimum): 11/9/10, 9/5/7, 11/8/8, 10/7/7,
//     10/8/8, 9/9/9, 11/9/9, 10/6/7, 10/5/6, 9/8/8, 11/7/9, 10/8/8, 9/8/9, 11/8/9, 9/8/9, 8/3/5, 11/6/6,
//     11/7/8, 10/9/9, 7/6/7 (where revealable < optimum the product trades a resolved neoantigen for cultures
//     whose proven clonotypes the screen left ambiguous, each carrying planted ones). After round 2
//     (printed) 11/4/5, 7/1/4, 10/1/3, 10/1/2, 9/2/2, 8/4/4, 8/4/4, 7/2/4, 7/4/5, 7/1/2, 9/3/3, 9/3/4, 9/2/3,
//     8/1/3, 8/2/3, 7/1/3, 7/2/4, 9/0/2, 8/2/3, 6/2/2. Before the product weighed a single-assay positive at
//     1/2 and put resolved neoantigens before CD4 on ties, seed 2's round 2 product held T01, which carries
//     no planted reactivity (a 2.05-fold ELISpot call; asserted for both rounds), and seed 9's round 3
//     covered 9/4/6.
// Re-run at c0214ff (2026-12-03): seeds 1-9 and 11-20 pass; seed 10 fails the round-3 product bar (covered 7
// planted neoantigens against an achievable 8: T01,T07,T12,T18 chosen, T01,T07,T11,T12 achievable), at
// 29b54f3 too, before the unconfirmed tier. make-realistic's patients have changed since the figures above
// (6fb0cd8 conservative substitutions, 04f8e14, 827d7fe). What the product sees there: at least five sets
// tie at 7.78 expected neoantigens with 7 resolved each (two of them hold T11; the chosen one wins on CD4
// frequency), and T01,T07,T11,T12 is not listed among them: a tie the screens as read do not break.
constexpr int kSeed = 1;

/// The seed: kSeed, or TILMATCH_SCREEN_SEED (to measure the figures above on other seeds).
int seed() {
  const char* env = std::getenv("TILMATCH_SCREEN_SEED");
  return env != nullptr && *env != '\0' ? std::atoi(env) : kSeed;
}

/// Construct-level sensitivity on constructs whose reactivity's expected well means pass the floors (margin
/// 1): a caller losing a fifth of what it could see fails. Below the floors the screen cannot see a
/// reactivity by design, so constructs stimulating only such ones are counted but not held to it.
constexpr double kMinSensitivity = 0.80;
/// Sensitivity on constructs whose reactivity is clearly above the floors: 1.0 on each of seeds 1-20.
constexpr double kMinClearSensitivity = 0.90;
/// False-positive rate of constructs that stimulate nothing: 0.0095 (3/315, seed 9) was the highest seen.
constexpr double kMaxFalsePositiveRate = 0.01;
/// A reactivity whose expected well means pass the call floors by this factor must be found: closer to a
/// floor, well noise decides (3 test wells against 6 negatives; ELISpot Poisson counts with 20% lognormal
/// well noise over a negative-binomial background, flow binomial events with 15-30% noise).
constexpr double kClearMargin = 1.5;

std::string q(const fs::path& p) { return tt::shell_quote(p); }

/// Runs `cmd` with its output to `log`; returns the exit status (0 = success).
int run(const std::string& cmd, const fs::path& log) { return std::system((cmd + " > " + q(log) + " 2>&1").c_str()); }

std::vector<std::string> split(const std::string& s, char sep = ',') {
  std::vector<std::string> out;
  if (s == "NA" || s.empty()) return out;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = s.find(sep, begin);
    out.push_back(s.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) return out;
    begin = end + 1;
  }
}

using Row = std::map<std::string, std::string>;

/// A TSV's rows by column name.
std::vector<Row> read_rows(const fs::path& path) {
  const auto lines = tt::parse_tsv(tt::read_file(path));
  std::vector<Row> out;
  for (std::size_t k = 1; k < lines.size(); ++k) {
    EXPECT_EQ(lines[k].size(), lines[0].size()) << path << " line " << k + 1;
    Row r;
    for (std::size_t c = 0; c < lines[0].size() && c < lines[k].size(); ++c) r[lines[0][c]] = lines[k][c];
    out.push_back(std::move(r));
  }
  return out;
}

/// "elispot_ifng=20.1,cd137_cd8=0.3" -> {assay: value}.
std::map<std::string, double> assay_values(const std::string& s) {
  std::map<std::string, double> out;
  for (const std::string& kv : split(s)) {
    const std::size_t eq = kv.find('=');
    out[kv.substr(0, eq)] = std::stod(kv.substr(eq + 1));
  }
  return out;
}

/// True when the expected well means of a reactivity (screen_truth.tsv: negative_means, signal_means)
/// pass every floor of tilmatch's default call rule, each by `margin`, in some assay whose positive
/// control passed: ELISpot mean >= margin x elispot_min_spots and >= margin x elispot_min_fold x the
/// negative mean; flow mean - negative >= margin x flow_min_delta points and mean >= margin x
/// flow_min_fold x the negative mean.
bool above_floors(const Row& truth, double margin) {
  const tilmatch::screen::CallParams floors;
  const auto negative = assay_values(truth.at("negative_means"));
  const auto signal = assay_values(truth.at("signal_means"));
  const auto failed = split(truth.at("positive_control_failed"));
  for (const auto& [assay, mean] : signal) {
    if (std::count(failed.begin(), failed.end(), assay)) continue;
    const double neg = negative.at(assay);
    const bool pass = assay == "elispot_ifng"
                          ? mean >= margin * floors.elispot_min_spots && mean >= margin * floors.elispot_min_fold * neg
                          : mean - neg >= margin * floors.flow_min_delta && mean >= margin * floors.flow_min_fold * neg;
    if (pass) return true;
  }
  return false;
}

/// Every file of a run's output folder but run.json and run.log (which record seconds, peak memory and
/// threads), report.html without its run block (date, command line, timings).
std::map<std::string, std::string> outputs(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename() != "run.json" && e.path().filename() != "run.log")
      out[e.path().filename().string()] = tt::comparable_file(e.path());
  return out;
}

/// Most distinct items covered by at most k of `sets` (brute force over every combination).
std::size_t best_cover(const std::vector<std::set<std::string>>& sets, std::size_t k, std::vector<std::size_t>& best) {
  std::size_t top = 0;
  std::vector<std::size_t> pick;
  const auto search = [&](auto&& self, std::size_t from, const std::set<std::string>& covered) -> void {
    if (covered.size() > top) top = covered.size(), best = pick;
    if (pick.size() == k) return;
    for (std::size_t i = from; i < sets.size(); ++i) {
      std::set<std::string> more = covered;
      more.insert(sets[i].begin(), sets[i].end());
      pick.push_back(i);
      self(self, i + 1, more);
      pick.pop_back();
    }
  };
  search(search, 0, {});
  return top;
}

/// Planted neoantigens per fragment (truth rows with one).
std::map<std::string, std::set<std::string>> planted_of(const std::vector<Row>& truth) {
  std::map<std::string, std::set<std::string>> out;
  for (const Row& t : truth)
    if (t.at("neoantigen_id") != "NA") out[t.at("fragment_id")].insert(t.at("neoantigen_id"));
  return out;
}

/// Deconvolution against the truth: planted reactivities of screened cultures found reactive or
/// ambiguous, and reactive calls without a planted reactivity.
struct Deconvolved {
  int planted = 0, reactive = 0, ambiguous = 0, excused = 0;
  int one_reading_planted = 0, one_reading_unplanted = 0;  ///< ambiguous calls resting on one reading
  std::vector<std::string> false_reactive;           ///< not explained by the truth: failures
  std::vector<std::string> false_reactive_sub_floor;  ///< behind a sub-floor reactivity's construct
};

/// Each planted (screened fragment, neoantigen) must be reactive or ambiguous (the planted neoantigen
/// among the candidates: an ambiguous row lists the neoantigens tied to it, itself included), unless no
/// screened construct holds it or its signal is not clearly above the floors (its positive control
/// failed, which damps the signal to 5%, included); failures are added to the test.
Deconvolved deconvolved(const std::vector<Row>& truth, const std::vector<Row>& reactivity, const std::string& round) {
  std::map<std::pair<std::string, std::string>, std::string> status;
  for (const Row& r : reactivity) {
    status[{r.at("fragment_id"), r.at("neoantigen_id")}] = r.at("status");
    const auto candidates = split(r.at("candidates"));
    if (r.at("status") == "ambiguous") {
      EXPECT_TRUE(std::count(candidates.begin(), candidates.end(), r.at("neoantigen_id")))
          << round << ": " << r.at("fragment_id") << " " << r.at("neoantigen_id") << ": not among its own candidates";
    }
  }
  Deconvolved d;
  for (const Row& t : truth) {
    if (t.at("screened") != "yes" || t.at("neoantigen_id") == "NA") continue;
    ++d.planted;
    const auto it = status.find({t.at("fragment_id"), t.at("neoantigen_id")});
    const std::string s = it == status.end() ? "absent" : it->second;
    if (s == "reactive" || s == "ambiguous") {
      (s == "reactive" ? d.reactive : d.ambiguous) += 1;
      continue;
    }
    const bool untested = t.at("constructs") == "NA";
    const bool weak = !above_floors(t, kClearMargin);
    std::cout << "[ screen ]   " << round << " missed " << t.at("fragment_id") << " " << t.at("neoantigen_id") << " ("
              << t.at("compartment") << ", " << t.at("reactive_frequency") << " of the culture): " << s
              << (untested ? ", in no screened construct" : weak ? ", signal not clearly above the floors" : "") << "\n";
    if (untested || weak) {
      ++d.excused;
    } else {
      ADD_FAILURE() << round << ": " << t.at("fragment_id") << " " << t.at("neoantigen_id") << " is " << s
                    << " although its expected signal is clearly above the floors";
    }
  }
  // A reactive call without a planted reactivity is excused only when every construct behind it stimulates
  // a planted reactivity of the culture that is not clearly above the floors: a matrix line read positive
  // for it while its crossing line missed it, so elimination names the bystander at the crossing of a
  // positive line of another reactivity. No reading of those wells can tell the two apart.
  std::map<std::string, std::set<std::string>> sub_floor;  // fragment -> constructs of weak reactivities
  for (const Row& t : truth)
    if (t.at("neoantigen_id") != "NA" && t.at("screened") == "yes" && !above_floors(t, kClearMargin))
      for (const std::string& c : split(t.at("constructs"))) sub_floor[t.at("fragment_id")].insert(c);
  const auto planted = planted_of(truth);
  for (const Row& r : reactivity) {
    const auto p = planted.find(r.at("fragment_id"));
    if (r.at("status") != "reactive" || (p != planted.end() && p->second.count(r.at("neoantigen_id")))) continue;
    const auto behind = split(r.at("constructs"));
    const auto& weak = sub_floor[r.at("fragment_id")];
    const bool excused = !behind.empty() && std::all_of(behind.begin(), behind.end(), [&](const std::string& c) {
      return weak.count(c) > 0;
    });
    (excused ? d.false_reactive_sub_floor : d.false_reactive)
        .push_back(r.at("fragment_id") + " " + r.at("neoantigen_id") + " (" + r.at("constructs") + ")");
  }
  for (const std::string& f : d.false_reactive_sub_floor)
    std::cout << "[ screen ]   " << round << " reactive without a planted reactivity, behind a sub-floor one's construct: "
              << f << "\n";
  for (const Row& r : reactivity) {
    if (r.at("note").rfind("one reading", 0) != 0) continue;
    const auto p = planted.find(r.at("fragment_id"));
    const bool real = p != planted.end() && p->second.count(r.at("neoantigen_id")) > 0;
    (real ? d.one_reading_planted : d.one_reading_unplanted) += 1;
    std::cout << "[ screen ]   " << round << " held ambiguous on one reading: " << r.at("fragment_id") << " "
              << r.at("neoantigen_id") << (real ? " (planted)" : " (not planted)") << ": " << r.at("note") << "\n";
  }
  std::cout << "[ screen ] " << round << " deconvolution: " << d.reactive + d.ambiguous << " of " << d.planted
            << " planted reactivities of screened cultures found (" << d.reactive << " reactive, " << d.ambiguous
            << " ambiguous), " << d.excused << " missed as weak or untested; " << d.false_reactive.size()
            << " reactive calls without a planted one (and " << d.false_reactive_sub_floor.size()
            << " behind a sub-floor reactivity's construct); " << d.one_reading_planted + d.one_reading_unplanted
            << " held ambiguous on one reading (" << d.one_reading_planted << " planted)\n";
  return d;
}

/// The constructs of design files in tmg_design.tsv's shape, as deconvolve takes them.
std::vector<tilmatch::screen::Construct> read_designs(const std::vector<fs::path>& files) {
  std::vector<std::string> order;
  std::map<std::string, std::string> kind;
  std::map<std::string, std::map<int, std::pair<std::string, std::string>>> slots;  // -> slot -> (neoantigen, sequence)
  for (const fs::path& f : files)
    for (const Row& r : read_rows(f)) {
      if (kind.emplace(r.at("construct"), r.at("kind")).second) order.push_back(r.at("construct"));
      slots[r.at("construct")][std::stoi(r.at("slot"))] = {r.at("neoantigen_id"), r.at("sequence")};
    }
  std::vector<tilmatch::screen::Construct> out;
  for (const std::string& id : order) {
    tilmatch::screen::Construct c;
    c.id = id;
    c.kind = kind[id] == "tandem_minigene" ? tilmatch::screen::ConstructKind::kTandemMinigene
                                           : tilmatch::screen::ConstructKind::kPeptidePool;
    for (const auto& [slot, member] : slots[id]) {
      c.neoantigens.push_back(member.first);
      c.sequences.push_back(member.second);
    }
    out.push_back(std::move(c));
  }
  return out;
}

/// Per culture, the planted neoantigens a flawless reading of the screens performed would resolve: the
/// culture x construct pairs of `calls`, read from the truth (positive when the construct stimulates a
/// reactivity clearly above the floors, inconclusive when it stimulates only weaker ones or the culture's
/// positive control failed, negative otherwise) and deconvolved by tilmatch's rules; plus the planted
/// neoantigens of cultures carrying a clonotype proven where its neoantigen is so resolved.
std::map<std::string, std::set<std::string>> revealable(const std::vector<Row>& truth, const std::vector<Row>& calls,
                                                        const std::vector<tilmatch::screen::Construct>& constructs) {
  namespace ts = tilmatch::screen;
  std::map<std::string, std::set<std::string>> clear, weak;
  std::set<std::string> failed;
  for (const Row& t : truth) {
    if (t.at("screened") != "yes") continue;
    if (t.at("positive_control_failed") != "NA") failed.insert(t.at("fragment_id"));
    if (t.at("neoantigen_id") == "NA") continue;
    for (const std::string& c : split(t.at("constructs")))
      (above_floors(t, kClearMargin) ? clear : weak)[t.at("fragment_id")].insert(c);
  }
  std::set<std::string> known;
  for (const ts::Construct& c : constructs) known.insert(c.id);
  std::set<std::pair<std::string, std::string>> performed;
  for (const Row& c : calls)
    if (known.count(c.at("construct"))) performed.insert({c.at("fragment_id"), c.at("construct")});
  std::vector<ts::ConstructOutcome> outcomes;
  for (const auto& [f, c] : performed) {
    const ts::CallStatus status = clear[f].count(c)                      ? ts::CallStatus::kPositive
                                  : weak[f].count(c) || failed.count(f) ? ts::CallStatus::kNoControl
                                                                         : ts::CallStatus::kNegative;
    // Read in two assays: a flawless reading has no false positives to guard against, so a resolution
    // by elimination needs no second construct to agree (deconvolution's one-reading rule).
    for (const char* assay : {"elispot_ifng", "cd137_cd8"})
      outcomes.push_back({f, c, assay, ts::Compartment::kUnknown, status, {}});
  }
  std::map<std::string, std::set<std::string>> out;
  for (const ts::NeoantigenCall& nc : ts::deconvolve(constructs, outcomes, {}, {}, "flawless").neoantigen_calls)
    if (nc.status == ts::ReactivityStatus::kReactive) out[nc.fragment_id].insert(nc.neoantigen);
  std::vector<std::pair<std::string, std::string>> tracked;
  for (const Row& t : truth) {
    if (t.at("neoantigen_id") == "NA") continue;
    for (const std::string& from : split(t.at("tracked_from")))
      if (out.count(from) && out[from].count(t.at("neoantigen_id"))) tracked.emplace_back(t.at("fragment_id"), t.at("neoantigen_id"));
  }
  for (const auto& [f, n] : tracked) out[f].insert(n);
  return out;
}

/// The product against the achievable optimum: the most planted neoantigens that k cultures cover when
/// each shows what a flawless reading of the screens performed resolves in it (revealable). The product
/// is credited with every planted neoantigen of its cultures, since a culture chosen for a reactivity the
/// screen left ambiguous carries it all the same; it must reach the optimum.
struct ProductFigures {
  std::size_t covered = 0, revealed = 0, optimum = 0;
};

ProductFigures product_figures(const std::vector<Row>& truth, const std::vector<Row>& product,
                               const std::map<std::string, std::set<std::string>>& shown, const std::string& round) {
  std::vector<std::string> fragments;
  std::vector<std::set<std::string>> sets;
  for (const auto& [f, neos] : shown) fragments.push_back(f), sets.push_back(neos);
  ProductFigures p;
  std::vector<std::size_t> best;
  p.optimum = best_cover(sets, tilmatch::screen::kDefaultProductFragments, best);
  const auto chosen_row = std::find_if(product.begin(), product.end(), [](const Row& r) { return r.at("set") == "chosen"; });
  EXPECT_NE(chosen_row, product.end()) << round;
  if (chosen_row == product.end()) return p;
  const auto planted = planted_of(truth);
  std::set<std::string> covered, revealed;
  for (const std::string& f : split(chosen_row->at("fragments"))) {
    EXPECT_TRUE(planted.count(f)) << round << ": product culture " << f << " carries no planted reactivity";
    if (const auto it = planted.find(f); it != planted.end()) covered.insert(it->second.begin(), it->second.end());
    if (const auto it = shown.find(f); it != shown.end()) revealed.insert(it->second.begin(), it->second.end());
  }
  p.covered = covered.size();
  p.revealed = revealed.size();
  std::cout << "[ screen ] " << round << ", seed " << seed() << ": product " << chosen_row->at("fragments") << ": "
            << p.covered << " planted neoantigens, " << p.revealed << " of them revealable (tilmatch expects "
            << chosen_row->at("expected_neoantigens") << "); achievable with " << tilmatch::screen::kDefaultProductFragments
            << " cultures: " << p.optimum << " (";
  for (std::size_t i = 0; i < best.size(); ++i) std::cout << (i ? "," : "") << fragments[best[i]];
  std::cout << ")\n";
  return p;
}

}  // namespace

TEST(CliScreenRealistic, ScreenLoopRecoversPlantedReactivity) {
  TILMATCH_REQUIRE_SHARED(vdjdb, "tcr_reference/vdjdb_human_chunks_2026-04-27.tsv.gz");
  TILMATCH_REQUIRE_SHARED(neotcr, "neoantigen_tcr/neotcr_db_20221220.tsv");
  TILMATCH_REQUIRE_SHARED(olga, "olga_human_trb/model_params.txt");
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "python3 not found (the generators need it)";
  if (!fs::exists(tt::olga_sampler(TILMATCH_OLGA_SAMPLER)))
    GTEST_SKIP() << "OLGA sampler not found: " << tt::olga_sampler(TILMATCH_OLGA_SAMPLER) << " (set TILMATCH_OLGA_SAMPLER)";
  tt::ScratchDir dir;
  const auto patient = dir / "patient";
  const auto screen = dir / "screen";
  const auto scripts = tt::source_dir() / "scripts";
  const std::string shared = " --shared-data " + q(tt::shared_data_root());
  ASSERT_EQ(run("python3 " + q(scripts / "make-realistic") + " --out " + q(patient) +
                    " --clonotypes-per-culture 5000 --cultures 24 --mutations 200 --shared-reactive 4 --seed " +
                    std::to_string(seed()) + " --sampler " + q(tt::olga_sampler(TILMATCH_OLGA_SAMPLER)) + shared,
                dir / "realistic.log"),
            0)
      << tt::read_file(dir / "realistic.log");
  // make-screen runs the first `tilmatch run` (into screen/run/) for the design it screens.
  ASSERT_EQ(run("python3 " + q(scripts / "make-screen") + " --patient " + q(patient) + " --tilmatch " +
                    q(tt::tilmatch_binary()) + " --seed " + std::to_string(seed()) + " --out " + q(screen) + shared,
                dir / "screen.log"),
            0)
      << tt::read_file(dir / "screen.log");
  std::string hla = tt::read_file(patient / "hla.txt");
  hla.erase(hla.find_last_not_of('\n') + 1);
  const auto second_run = [&](const fs::path& out, int threads) {
    return tt::run_tilmatch(
        "run --vcf " + q(patient / "patient.vcf") + " --sample PATIENT_TUMOR --normal-sample PATIENT_NORMAL --fragments " +
        q(patient / "fragments.tsv") + " --reference " + q(vdjdb) + " --reference " + q(patient / "neotcr_reference.tsv") +
        " --validated " + q(patient / "validated.tsv") + " --hla " + hla + " --screen " + q(screen / "readouts.tsv") +
        " --design " + q(screen / "run" / "tmg_design.tsv") + " --design " + q(screen / "matrix_design.tsv") +
        " --reactive-repertoires " + q(screen / "reactive_manifest.tsv") + " --backend cpu --threads " +
        std::to_string(threads) + " --out " + q(out));
  };
  const auto out = dir / "round2";
  const auto r2 = second_run(out, 2);
  ASSERT_EQ(r2.exit_code, 0) << r2.err;

  const auto truth = read_rows(screen / "screen_truth.tsv");
  const auto calls = read_rows(out / "screen_calls.tsv");
  const auto reactivity = read_rows(out / "reactivity.tsv");
  const auto ranking = read_rows(out / "fragments.tsv");
  const auto product = read_rows(out / "product.tsv");
  ASSERT_FALSE(truth.empty());
  ASSERT_EQ(ranking.size(), 24u);

  // Truth per fragment: screened or not, the constructs that stimulate something.
  std::set<std::string> screened, unscreened;
  std::map<std::string, std::set<std::string>> stimulating, stimulating_visibly, stimulating_clearly;
  for (const Row& t : truth) {
    const std::string& f = t.at("fragment_id");
    (t.at("screened") == "yes" ? screened : unscreened).insert(f);
    if (t.at("neoantigen_id") == "NA") continue;
    for (const std::string& c : split(t.at("constructs"))) {
      stimulating[f].insert(c);
      if (above_floors(t, 1.0)) stimulating_visibly[f].insert(c);
      if (above_floors(t, kClearMargin)) stimulating_clearly[f].insert(c);
    }
  }
  ASSERT_EQ(screened.size(), 18u) << "make-screen's default: a quarter of the cultures unscreened";

  // 1. Calls, construct level: a fragment x construct is called positive when any assay is.
  std::map<std::pair<std::string, std::string>, bool> called;
  for (const Row& c : calls) {
    auto& positive = called[{c.at("fragment_id"), c.at("construct")}];
    positive = positive || c.at("status") == "positive";
  }
  int tp = 0, fn = 0, fp = 0, tn = 0, visible_tp = 0, visible_fn = 0, clear_tp = 0, clear_fn = 0;
  for (const auto& [key, positive] : called) {
    const auto& [f, c] = key;
    ASSERT_TRUE(screened.count(f)) << f << " has calls but was not screened";
    if (stimulating[f].count(c)) {
      (positive ? tp : fn) += 1;
      if (stimulating_visibly[f].count(c)) (positive ? visible_tp : visible_fn) += 1;
      if (stimulating_clearly[f].count(c)) (positive ? clear_tp : clear_fn) += 1;
    } else {
      (positive ? fp : tn) += 1;
    }
  }
  ASSERT_GT(visible_tp + visible_fn, 0);
  ASSERT_GT(clear_tp + clear_fn, 0);
  const double sensitivity = static_cast<double>(visible_tp) / (visible_tp + visible_fn);
  const double clear_sensitivity = static_cast<double>(clear_tp) / (clear_tp + clear_fn);
  const double fp_rate = static_cast<double>(fp) / (fp + tn);
  std::cout << std::fixed << std::setprecision(3) << "[ screen ] constructs: sensitivity " << tp << "/" << tp + fn
            << " = " << static_cast<double>(tp) / (tp + fn) << " (above the floors: " << visible_tp << "/"
            << visible_tp + visible_fn << " = " << sensitivity << "; clearly: " << clear_tp << "/" << clear_tp + clear_fn
            << " = " << clear_sensitivity << "), false-positive rate " << fp << "/" << fp + tn << " = " << fp_rate << "\n";
  EXPECT_GE(sensitivity, kMinSensitivity);
  EXPECT_GE(clear_sensitivity, kMinClearSensitivity);
  EXPECT_LE(fp_rate, kMaxFalsePositiveRate);

  // 1b. Cultures whose positive control failed (make-screen damps their cells' response): their weak
  // wells are never called negative in a failed assay, none of their planted neoantigens is cleared, and
  // the next round screens them again.
  std::map<std::string, std::set<std::string>> failed;
  for (const Row& t : truth)
    for (const std::string& a : split(t.at("positive_control_failed"))) failed[t.at("fragment_id")].insert(a);
  ASSERT_FALSE(failed.empty()) << "make-screen's default fails two cultures' positive controls";
  for (const Row& c : calls) {
    if (failed.count(c.at("fragment_id")) && failed[c.at("fragment_id")].count(c.at("assay"))) {
      EXPECT_NE(c.at("status"), "negative") << c.at("fragment_id") << " " << c.at("construct") << " " << c.at("assay");
    }
  }
  const auto planted2 = planted_of(truth);
  for (const Row& r : reactivity) {
    if (failed.count(r.at("fragment_id")) && planted2.count(r.at("fragment_id")) &&
        planted2.at(r.at("fragment_id")).count(r.at("neoantigen_id"))) {
      EXPECT_NE(r.at("status"), "not_reactive") << r.at("fragment_id") << " " << r.at("neoantigen_id");
    }
  }
  const auto plan = read_rows(out / "next_round.tsv");
  for (const auto& [f, assays] : failed)
    EXPECT_TRUE(std::any_of(plan.begin(), plan.end(), [&](const Row& r) {
      return r.at("kind") == "repeat_fragment" && r.at("subject") == f;
    })) << f << ": positive control failed, but the next round does not screen it again";

  // 1c. ELISpot calls say which test made them: 3 test wells against 6 negatives reach p >= 1/84, which
  // BH over the screen's hundreds of tests cannot bring under 0.05, so each falls back to the 2x rule.
  for (const Row& c : calls) {
    if (c.at("assay") != "elispot_ifng" || c.at("rule") == "none") continue;
    EXPECT_EQ(c.at("rule"), "fold") << c.at("fragment_id") << " " << c.at("construct");
    EXPECT_EQ(c.at("fallback"), "yes") << c.at("fragment_id") << " " << c.at("construct");
    EXPECT_NEAR(std::stod(c.at("min_p")), 1.0 / 84, 1e-6) << c.at("fragment_id") << " " << c.at("construct");
  }

  // 2. Deconvolution.
  const Deconvolved d2 = deconvolved(truth, reactivity, "round 2");
  EXPECT_GT(d2.reactive + d2.ambiguous, 0);
  EXPECT_TRUE(d2.false_reactive.empty()) << "reactive without a planted reactivity: " << d2.false_reactive.front();
  // 2b. A call resting on one reading is settled by the next round: its construct is deconvolved there,
  // each designed well holding one member.
  const auto round2_design = read_designs({out / "next_round_design.tsv"});
  for (const Row& r : reactivity) {
    if (r.at("note").rfind("one reading", 0) != 0) continue;
    const auto constructs = split(r.at("constructs"));
    const auto step = std::find_if(plan.begin(), plan.end(), [&](const Row& p) {
      return p.at("kind") == "deconvolve" && std::count(constructs.begin(), constructs.end(), p.at("subject")) &&
             r.at("note").find(p.at("subject") + " (") != std::string::npos;
    });
    ASSERT_NE(step, plan.end()) << r.at("fragment_id") << " " << r.at("neoantigen_id") << ": " << r.at("note")
                                       << ", but the next round does not deconvolve its construct";
    const std::string& why = step->at("reason");
    if (why.find("test it alone") == std::string::npos && why.find("test each alone") == std::string::npos)
      continue;  // a matrix: the construct holds many candidates in other cultures
    for (const std::string& id : split(step->at("constructs"))) {
      const auto c = std::find_if(round2_design.begin(), round2_design.end(),
                                  [&](const tilmatch::screen::Construct& k) { return k.id == id; });
      ASSERT_NE(c, round2_design.end()) << id;
      EXPECT_EQ(c->sequences.size(), 1u) << id << " (for " << step->at("subject") << ") does not test one member alone";
    }
  }

  // 3. Tracking: unscreened cultures carrying a clonotype planted reactive in a screened, sorted
  // culture rank above the unscreened cultures that carry none.
  std::map<std::string, int> rank;
  std::map<std::string, std::string> tier;
  for (const Row& r : ranking) {
    rank[r.at("fragment_id")] = std::stoi(r.at("rank"));
    tier[r.at("fragment_id")] = r.at("tier");
  }
  std::set<std::string> carriers;
  for (const Row& t : truth)
    if (t.at("screened") == "no" && t.at("tracked_from") != "NA") carriers.insert(t.at("fragment_id"));
  ASSERT_FALSE(carriers.empty()) << "no unscreened culture carries a proven clonotype: tracking is not tested";
  ASSERT_LT(carriers.size(), unscreened.size()) << "every unscreened culture carries one: the order is not tested";
  int lowest_carrier = 0, highest_other = 1 << 30;
  for (const std::string& f : unscreened) {
    std::cout << "[ screen ]   unscreened " << f << (carriers.count(f) ? " (carrier)" : "") << ": rank " << rank.at(f)
              << ", tier " << tier.at(f) << "\n";
    if (carriers.count(f)) {
      lowest_carrier = std::max(lowest_carrier, rank.at(f));
      EXPECT_EQ(tier.at(f), "tracked") << f;
    } else {
      highest_other = std::min(highest_other, rank.at(f));
    }
  }
  EXPECT_LT(lowest_carrier, highest_other) << "an unscreened culture without a proven clonotype ranks above a carrier";
  // 3b. Single readings: a culture whose reactions are single readings only (each positive construct in
  // one assay, nothing resolved or proven in its sorts) is `unconfirmed`, below public evidence that
  // stands out from chance. It is what the screen's false positives look like (scripts/eval-realistic
  // --screen, seeds 1-10 at 20,000 and 1-20 at 50,000 clonotypes: 14 unconfirmed cultures, none with a
  // planted reactivity); a reactivity the screen shows clearly is never held there. Printed: measured
  // cultures with nothing planted (seed 9: two pool readings agreeing on one peptide in a culture whose
  // positive controls all failed; a real response reads so too).
  for (const Row& r : ranking) {
    const std::string& f = r.at("fragment_id");
    if (r.at("tier") == "unconfirmed") {
      std::cout << "[ screen ]   unconfirmed " << f << ": " << r.at("why") << "\n";
      EXPECT_TRUE(stimulating_clearly[f].empty()) << f << ": a clearly visible reactivity held unconfirmed";
    }
    if (r.at("tier") == "measured" && !planted2.count(f))
      std::cout << "[ screen ]   measured with nothing planted " << f << ": " << r.at("why") << "\n";
  }

  // 4. The product against the best k cultures by the truth.
  const auto designs2 = read_designs({screen / "run" / "tmg_design.tsv", screen / "matrix_design.tsv"});
  const ProductFigures p2 = product_figures(truth, product, revealable(truth, calls, designs2), "round 2");

  // 5. Round 3: the second screen (make-screen --round2: the wells of round 2's plan, same truth), read
  // with the first.
  ASSERT_EQ(run("python3 " + q(scripts / "make-screen") + " --patient " + q(patient) + " --design " +
                    q(screen / "run" / "tmg_design.tsv") + " --round2 " + q(out) + " --seed " +
                    std::to_string(seed()) + " --out " + q(screen),
                dir / "screen2.log"),
            0)
      << tt::read_file(dir / "screen2.log");
  const auto third_run = [&](const fs::path& to, int threads) {
    return tt::run_tilmatch(
        "run --vcf " + q(patient / "patient.vcf") + " --sample PATIENT_TUMOR --normal-sample PATIENT_NORMAL --fragments " +
        q(patient / "fragments.tsv") + " --reference " + q(vdjdb) + " --reference " + q(patient / "neotcr_reference.tsv") +
        " --validated " + q(patient / "validated.tsv") + " --hla " + hla + " --screen " + q(screen / "readouts.tsv") +
        " --screen " + q(screen / "readouts.round2.tsv") + " --design " + q(screen / "run" / "tmg_design.tsv") +
        " --design " + q(screen / "matrix_design.tsv") + " --design " + q(out / "next_round_design.tsv") +
        " --reactive-repertoires " + q(screen / "reactive_manifest.round2.tsv") + " --backend cpu --threads " +
        std::to_string(threads) + " --out " + q(to));
  };
  const auto round3 = dir / "round3";
  const auto r3 = third_run(round3, 2);
  ASSERT_EQ(r3.exit_code, 0) << r3.err;
  const auto truth3 = read_rows(screen / "screen_truth.round2.tsv");
  const Deconvolved d3 = deconvolved(truth3, read_rows(round3 / "reactivity.tsv"), "round 3");
  EXPECT_GT(d3.reactive, d2.reactive) << "the second screen resolved nothing the first left ambiguous";
  EXPECT_TRUE(d3.false_reactive.empty()) << "reactive without a planted reactivity: " << d3.false_reactive.front();
  const auto designs3 = read_designs(
      {screen / "run" / "tmg_design.tsv", screen / "matrix_design.tsv", out / "next_round_design.tsv"});
  const ProductFigures p3 = product_figures(truth3, read_rows(round3 / "product.tsv"),
                                            revealable(truth3, read_rows(round3 / "screen_calls.tsv"), designs3),
                                            "round 3");
  std::cout << "[ screen ] seed " << seed() << ": product covers " << p2.covered << " planted neoantigens ("
            << p2.revealed << " revealable) against an achievable " << p2.optimum << " after round 2, " << p3.covered
            << " (" << p3.revealed << ") against " << p3.optimum << " after round 3\n";
  // The product after the last round reaches the achievable optimum (after round 2 the plan's next round
  // is still to resolve much of what the product weighs; printed).
  EXPECT_GE(p3.covered, p3.optimum) << "the product covers fewer planted neoantigens than the best "
                                    << tilmatch::screen::kDefaultProductFragments << " cultures show";

  // 6. Same input, same bytes, whatever the thread count (round 3: two readout files).
  const auto one = dir / "round3-1thread";
  const auto r1 = third_run(one, 1);
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  const auto a = outputs(round3), b = outputs(one);
  EXPECT_GE(a.size(), 15u);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, bytes] : a) EXPECT_TRUE(b.count(name) && b.at(name) == bytes) << name << " differs";
}
