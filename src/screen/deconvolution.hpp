#pragma once
/// Deconvolution: from per-assay calls on pooled constructs to fragment x neoantigen reactivity.
///
/// The rules, applied within one fragment at a time (reactivity differs by culture):
/// 1. Assays combine per fragment x construct: positive when any assay is positive; negative only
///    when every assay that has a rule is negative (kNoControl and kControlFailed make the
///    construct inconclusive: an assay that could not have seen a response cannot vouch for its
///    absence, and the trial reads IFN-gamma ELISpot and 4-1BB/OX40 flow side by side because some
///    responses show in one only); kNotCalled assays (no rule) are carried and ignored.
/// 2. A member is one minigene (a 25-mer of a TMG or a lone minigene) or one peptide (of a pool or
///    alone), identified by its kind and sequence; a minigene and a peptide are never the same
///    member. A negative construct clears the members it holds: a negative TMG clears its
///    minigenes, a negative pool only its peptides (a pool holds some of a neoantigen's epitopes,
///    not all). With DeconvolutionParams::clear_contained_peptides (the default) a cleared
///    minigene also clears every peptide whose sequence it contains (the rationale is there).
/// 3. A positive construct's candidates are its members not cleared. If they all belong to one
///    neoantigen, that neoantigen is reactive (this covers single-member constructs); with two or
///    more neoantigens left the construct is ambiguous among them; with none left it is
///    unexplained (e.g. a junctional epitope or a sensitivity difference between wells).
///    A resolution must agree with the culture's other readings assay by assay: when, in every
///    assay the construct read positive in, another construct holding the candidate read negative,
///    the construct is unexplained instead. Elimination names the one member that no negative
///    construct holds; a missed well elsewhere (a sub-floor reactivity in a matrix row whose column
///    read negative) would otherwise hand the row's positive to a bystander that shares a column
///    with another reactivity, although that column read positive in other assays than the row.
///    Matrix pools need no rule of their own: each peptide sits in one row and one column pool,
///    so negative rows and columns clear everything outside the positive rows x positive columns.
///    A resolution by elimination (the construct holds members of two or more neoantigens, and
///    clearing left one) needs a second, agreeing reading: a reading is one assay in which one
///    construct read positive, and the readings counted are the construct's own positive assays and
///    those of every other construct of the culture resolving to the same neoantigen. With one
///    reading the construct is ambiguous (`one_reading`), its one neoantigen the candidate, and the
///    next round tests its members alone. Why: elimination trusts every negative around the positive
///    and the positive itself; one marginal well set (a false-positive matrix row, just over a floor,
///    crossing a truly positive column) otherwise names a bystander as reactive, and no other reading
///    of the screen can tell it from a reactivity. A construct holding one neoantigen only resolves
///    directly (nothing was eliminated).
/// 4. Per neoantigen: reactive if some positive construct resolves to it; else ambiguous if it is
///    a candidate of an ambiguous construct; else not reactive if every minigene the design holds
///    for it (a 25-mer spans every epitope containing the mutation; frameshifts have several
///    tiles) is cleared; else not tested (which includes "only some peptides cleared").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "screen/model.hpp"

namespace tilmatch::screen {

/// One fragment x construct x assay call: the input deconvolution works from.
struct ConstructOutcome {
  std::string fragment_id;
  std::string construct;  ///< a Construct id; `negative`/`positive` and control constructs are skipped
  std::string assay;      ///< the assay's name, e.g. `cd137_cd8`
  Compartment compartment = Compartment::kUnknown;  ///< what the assay reads (ELISpot: kUnknown)
  CallStatus status = CallStatus::kNotCalled;
  std::vector<ReadoutPlace> lines;  ///< where the readouts behind the call were read
};

/// The assays of one fragment x construct, combined by rule 1.
enum class ConstructResult : std::uint8_t { kPositive, kNegative, kInconclusive };

/// One fragment x construct after combining its assays.
struct ConstructCall {
  std::string fragment_id;
  std::string construct;
  ConstructResult result = ConstructResult::kInconclusive;
  std::vector<std::string> positive_assays;      ///< input order, unique
  std::vector<std::string> inconclusive_assays;  ///< no control or control failed; input order, unique
  std::vector<std::string> negative_assays;      ///< called negative; input order, unique
  std::vector<Compartment> compartments;         ///< of the positive assays; sorted, unique
  std::vector<ReadoutPlace> lines;               ///< every readout behind it; sorted, unique
};

/// What a member of a construct is.
enum class MemberKind : std::uint8_t { kMinigene, kPeptide };

/// One minigene or peptide: the unit that negative constructs clear.
struct Member {
  MemberKind kind = MemberKind::kMinigene;
  std::string sequence;
  std::vector<std::string> neoantigens;  ///< every neoantigen any construct lists it under; report order
};

/// How a positive construct was explained (rule 3).
enum class Resolution : std::uint8_t { kResolved, kAmbiguous, kUnexplained };

/// One positive fragment x construct and what remains of it after clearing.
struct PositiveConstruct {
  std::string fragment_id;
  std::string construct;
  Resolution resolution = Resolution::kUnexplained;
  std::vector<Member> candidates;         ///< members not cleared in this fragment, construct order
  std::vector<std::string> neoantigens;   ///< of `candidates`; report order, unique
  std::vector<Compartment> compartments;  ///< as in its ConstructCall
  std::vector<std::string> positive_assays;  ///< as in its ConstructCall
  std::vector<ReadoutPlace> lines;
  /// kAmbiguous only: elimination left one neoantigen, but on one reading (rule 3), so the call
  /// waits for the member tested alone.
  bool one_reading = false;
};

/// Result of one neoantigen in one fragment (rule 4).
struct NeoantigenCall {
  std::string fragment_id;
  std::string neoantigen;
  ReactivityStatus status = ReactivityStatus::kNotTested;
  /// kAmbiguous: the neoantigens tied to this one through shared ambiguous constructs (this one
  /// included; reactive ones too), report order. Empty otherwise.
  std::vector<std::string> candidates;
  /// The constructs behind the status: reactive, the positive constructs resolved to it;
  /// ambiguous, the ambiguous constructs it is a candidate of; not reactive, the negative
  /// constructs that cleared its minigenes; not tested, every construct holding it that this
  /// fragment was tested with. Construct order.
  std::vector<std::string> constructs;
  std::vector<std::string> sequences;     ///< reactive: the candidate members' sequences, first seen first
  std::vector<Compartment> compartments;  ///< reactive/ambiguous: compartments seen positive; sorted
  std::vector<ReadoutPlace> lines;        ///< readouts of `constructs`; sorted, unique
  int minigenes = 0;          ///< minigenes the constructs hold for this neoantigen
  int minigenes_cleared = 0;  ///< of them cleared in this fragment
  int peptides_cleared = 0;   ///< its peptides cleared in this fragment
  /// Why an ambiguous call is not reactive when it rests on one reading, e.g.
  /// "one reading: DX3.R2 (cd137_cd8) by elimination"; empty otherwise.
  std::string note;
};

/// Everything deconvolution produced.
struct Deconvolution {
  std::vector<std::string> fragments;    ///< report order (see deconvolve)
  std::vector<std::string> neoantigens;  ///< report order (see deconvolve)
  std::vector<ConstructCall> calls;      ///< fragment order, then construct order
  std::vector<PositiveConstruct> positives;  ///< fragment order, then construct order
  std::vector<NeoantigenCall> neoantigen_calls;  ///< fragment x neoantigen, both in report order
};

/// Options of deconvolve.
struct DeconvolutionParams {
  /// A minigene cleared in a fragment (a negative TMG or lone minigene) also clears, in that fragment,
  /// every peptide whose sequence it contains. Rationale: APCs expressing the minigene process it and
  /// present whatever epitopes of it the patient's HLA present naturally (the tandem-minigene screen's
  /// premise: Tran et al., Science 2014;344:641; Lu et al., Clin Cancer Res 2014;20:3401, not
  /// re-checked here), so a response to a pulsed peptide that the same culture does not show against
  /// the whole 25-mer is not to a naturally presented epitope (a pulse at supraphysiological density,
  /// or a false call): it cannot make the neoantigen reactive. Off: only constructs holding the
  /// peptide itself clear it.
  bool clear_contained_peptides = true;
};

/// Combines the assays of each fragment x construct (rule 1). Outcomes naming `negative` or
/// `positive` are skipped. One call per fragment x construct, in order of first appearance.
std::vector<ConstructCall> combine_assays(const std::vector<ConstructOutcome>& outcomes);

/// Deconvolves a screen (rules 1-4).
/// `constructs`: every construct the readouts may name (design constructs, lone minigenes and
/// peptides); ids must be unique and `sequences` parallel to `neoantigens` (std::invalid_argument).
/// `fragments`, `neoantigens`: ids to report on, in report order; fragments of `outcomes` and
/// neoantigens of `constructs` not listed are appended in order of first appearance.
/// Throws InputError(`readouts_file`, "line N", ...) for an outcome naming an unknown construct (the line
/// of its first readout; with several readout files the caller checks construct names first).
Deconvolution deconvolve(const std::vector<Construct>& constructs,
                         const std::vector<ConstructOutcome>& outcomes,
                         const std::vector<std::string>& fragments,
                         const std::vector<std::string>& neoantigens, std::string_view readouts_file,
                         const DeconvolutionParams& params = {});

/// `reactive`, `not_reactive`, `ambiguous`, `not_tested`.
std::string_view reactivity_name(ReactivityStatus status) noexcept;
/// `positive`, `negative`, `inconclusive`.
std::string_view construct_result_name(ConstructResult result) noexcept;
/// `resolved`, `ambiguous`, `unexplained`.
std::string_view resolution_name(Resolution resolution) noexcept;

}  // namespace tilmatch::screen
