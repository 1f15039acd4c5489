#pragma once
/// Calls of the screen: each fragment x construct x assay read against the fragment's negative
/// wells of that assay, positive or negative by the assay's rule, with BH across the whole screen.
/// Pure: readouts in, calls out, deterministic (the Monte Carlo seed is a parameter).
///
/// Rules and their sources (each threshold is a CallParams field):
/// - ELISpot (`elispot_ifng`, spots/well): a DFR test (stats.hpp; default DFR(2x), Moodie et al.
///   2010) whose q passes the FDR, plus the effect floors of the empirical rule; or the empirical
///   rule alone ("fold": mean >= k x background and mean >= a spot floor). NCI screens of TIL
///   against tandem minigenes (Tran 2014 Science 344:641, Tran 2015 Science 350:1387, Parkhurst 2019
///   Cancer Discov 9:1022, Lowery 2025 Nat Med 31:1994) are commonly reported to call a well
///   reactive at > 2x background plus a spot floor; we could not verify the exact numbers in those
///   papers' methods here, so k = 2 is "as commonly reported" and the floor a tilmatch default.
///   Dubey 2007 (J Acquir Immune Defic Syndr 45:20) is commonly cited for >= 4x mock and >= 55
///   SFC/1e6 PBMC (unverified here; per 1e6 cells, not per well).
/// - Flow (`cd137_cd8`, `cd137_cd4`, `ox40_cd4`, % of parent gate): fold over the negative
///   (mean/mean) >= 2 (as commonly reported for 4-1BB/OX40 upregulation in the same NCI screens,
///   unverified) and an absolute floor in percentage points above background (tilmatch default).
/// - Why DFR(2x) by default: it is the HVTN standard since 2006 and it tests the effect the
///   empirical rule asks for (mean_exp > 2 x mean_ctrl) with error control; Moodie et al. 2010 found
///   empirical rules' false-positive rates uncontrolled. But a permutation p is at least
///   1 / C(n + m, n), and BH over a screen of M ELISpot tests calls a lone reactive construct only if
///   p <= fdr / M. A construct whose wells cannot reach that falls back to the empirical rule
///   (`elispot_fold_fallback`), and its call says so (rule `fold`, fallback = true), rather than
///   being reported negative by a test that could never pass. Expect DFR calls only from screens
///   with many wells per construct (e.g. 6 + 6 wells reach 1/924 ~ 0.0011: M <= 46 tests).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "screen/model.hpp"
#include "screen/stats.hpp"

namespace tilmatch::screen {

/// Construct names of the control wells.
inline constexpr std::string_view kNegativeConstruct = "negative";
inline constexpr std::string_view kPositiveConstruct = "positive";

/// ELISpot for `elispot_ifng`; flow for `cd137_cd8`, `cd137_cd4`, `ox40_cd4`; other otherwise.
AssayKind assay_kind(std::string_view assay) noexcept;
/// CD8 for `cd137_cd8`; CD4 for `cd137_cd4` and `ox40_cd4`; unknown otherwise (ELISpot reads both).
Compartment assay_compartment(std::string_view assay) noexcept;

/// How an ELISpot construct is called.
enum class ElispotRule : std::uint8_t { kDfrEq, kDfr2x, kFold };

/// The rule a call was made by.
enum class CallRule : std::uint8_t {
  kDfrEq,     ///< DFR(eq) test + effect floors
  kDfr2x,     ///< DFR(2x) test + effect floors
  kFold,      ///< ELISpot empirical rule: fold and spot floor
  kFlowFold,  ///< flow: fold, points above background, percent floor
  kNone,      ///< not called (no control, or an assay without a rule)
};
/// "dfr_eq", "dfr_2x", "fold", "flow_fold", "none".
std::string_view to_string(CallRule rule) noexcept;

/// Multiple-testing control of the DFR p-values.
enum class Multiplicity : std::uint8_t {
  /// BH q-values over every test of the screen that yields a p (default).
  kBenjaminiHochberg,
  /// Moodie's DFR: Westfall-Young step-down max-T adjusted p within each fragment x assay (the
  /// constructs that share its negative wells; constructs with different well counts form separate
  /// families). Controls the family-wise error per fragment, not the FDR of the screen.
  kWestfallYoung,
};

/// What a fragment's positive-control wells say for one assay.
enum class PositiveControlStatus : std::uint8_t {
  kPassed,  ///< mean above its floor and above the negative by the fold
  kFailed,  ///< below either: the fragment's negative calls for the assay become kControlFailed
  kAbsent,  ///< no positive wells: not checked
};
/// "passed", "failed", "absent".
std::string_view to_string(PositiveControlStatus status) noexcept;

/// Every rule and threshold of call_screen. Defaults and their sources: see the file comment.
struct CallParams {
  ElispotRule elispot_rule = ElispotRule::kDfr2x;
  /// Call by the empirical ELISpot rule a construct whose wells cannot reach a p that could pass
  /// (dfr_min_p > fdr / M under BH, > fdr under Westfall-Young). false: keep the DFR test anyway.
  bool elispot_fold_fallback = true;
  Multiplicity multiplicity = Multiplicity::kBenjaminiHochberg;
  /// FDR level of BH (or the family-wise level under Westfall-Young); a DFR positive needs q <= fdr.
  double fdr = 0.05;
  DfrParams dfr;  ///< exact-enumeration limit, Monte Carlo draws and seed of the DFR tests

  double elispot_min_fold = 2.0;   ///< mean test / mean negative; "2x background", as commonly reported (NCI)
  double elispot_min_spots = 20;   ///< mean spots/well of the construct; tilmatch default
  double flow_min_fold = 2.0;      ///< mean test % / mean negative %; as commonly reported (NCI), unverified
  double flow_min_delta = 0.5;     ///< percentage points above the negative mean; tilmatch default
  double flow_min_percent = 0.0;   ///< absolute % of the parent gate; tilmatch default (off)

  /// Positive control (PMA/ionomycin, anti-CD3): passes when its mean is >= the assay's floor and
  /// >= positive_min_fold x the negative mean. tilmatch defaults, lenient on purpose: they catch a
  /// dead plate or culture, not grade it (no published threshold found).
  double positive_min_fold = 2.0;
  double elispot_positive_min_spots = 50;
  double flow_positive_min_percent = 2.0;
};

/// One fragment x construct x assay, with the wells behind it.
struct Call {
  std::string fragment_id;
  std::string construct;
  std::string assay;
  AssayKind assay_kind = AssayKind::kOther;
  Compartment compartment = Compartment::kUnknown;
  CallStatus status = CallStatus::kNotCalled;
  CallRule rule = CallRule::kNone;
  bool fallback = false;           ///< called by the empirical rule because DFR could not reach the FDR
  PositiveControlStatus positive_control = PositiveControlStatus::kAbsent;
  std::size_t n_test = 0;          ///< test wells
  std::size_t n_control = 0;       ///< negative wells of the fragment x assay
  double mean_test = 0;            ///< spots/well or % of parent
  double mean_control = 0;         ///< NaN without negative wells
  double fold = 0;                 ///< mean_test / mean_control; +inf if only the control mean is 0, NaN if both are
  double statistic = 0;            ///< DFR statistic (mean_test - c x mean_control) when tested, else mean_test - mean_control
  double p = 0;                    ///< DFR p; NaN when no test was run
  double q = 0;                    ///< BH q over the screen (or Westfall-Young adjusted p); NaN when no test was run
  double min_p = 0;                ///< smallest p the DFR test could return for these wells; NaN when no test applies
  std::vector<ReadoutPlace> test_lines;      ///< where the test wells were read (file order, then line)
  std::vector<ReadoutPlace> control_lines;   ///< where the negative wells were read
  std::vector<ReadoutPlace> positive_lines;  ///< where the positive-control wells were read
};

/// Calls every fragment x construct x assay of `readouts` (controls excluded). Negative and
/// positive wells are shared by every construct of their fragment x assay. Status:
/// kNotCalled for an assay without a rule; kNoControl when the fragment x assay has no negative
/// wells; otherwise kPositive or kNegative by the rule, and a negative becomes kControlFailed when the
/// fragment's positive control failed for the assay (positives stay positive, flagged by
/// `positive_control`). Sorted by (fragment_id, construct, assay), byte order.
/// Preconditions (the reader's job; violations throw std::invalid_argument naming the line):
/// values finite and >= 0, (fragment, construct, assay, replicate) unique.
std::vector<Call> call_screen(const std::vector<Readout>& readouts, const CallParams& params);

}  // namespace tilmatch::screen
