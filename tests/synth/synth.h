// Synthetic webcam frames of people holding up QR tickets, for the scanner's
// golden corpus, benchmarks and end-to-end videos. Every function is a pure
// function of its spec (same spec, same pixels on the same build); thread-safe.
//
// This header shows cv::Mat, unlike the product's public headers: it is test
// support, and the frames are what its users compare and feed to the scanner.
#pragma once

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace checkin::synth {

// How a ticket is shown. kPhoneDark is a dark-mode phone: light modules on a dark
// screen whose quiet zone is dark too, so a reader must also try the inverse.
enum class Medium { kPaper, kPhoneLight, kPhoneDark };

struct TicketSpec {
  std::string payload;  // raw bytes; not UTF-8 text (NULs, bad UTF-8) goes in as bytes
  Medium medium = Medium::kPaper;
  double module_px = 6;       // one module in the frame, in pixels, before tilt
  double rotation_deg = 0;    // in-plane rotation
  double tilt_deg = 0;        // out-of-plane tilt (perspective), 0..70
  double tilt_axis_deg = 0;   // direction of the tilt axis in the frame
  double curvature = 0;       // 0 = flat; 0.2..0.5 bends paper round its own vertical
                              // axis; phones are rigid and ignore it
  double cx = 0.5, cy = 0.5;  // centre of the ticket (paper or phone body), as
                              // fractions of the frame
  // The fields below default to a ticket as the fields above draw it, pixel
  // for pixel. Phones are rigid: bending and crumpling apply to paper only.
  double bend_axis_deg = 0;  // the cylinder's axis on the ticket: 0 its vertical
                             // axis (as `curvature` always did), 90 its horizontal
  double crumple = 0;        // irregular smooth bending, peak height in modules
                             // (0.5..3 is a ticket from a pocket)
  double ink_contrast = 1;   // share of the paper-ink (screen-ink) contrast left:
                             // faded thermal paper, grey on grey; >= 0.2
  double thumb_over = 0;     // a thumb over the code, up from the bottom edge on
                             // paper, in from the right on a phone: how far its tip
                             // reaches past the code's edge, in modules; < 0 stops
                             // short of it; 0 = no such thumb
  double thumb_at = 0.5;     // where, along that edge: 0..1, left to right or top
                             // to bottom
};

struct SceneSpec {
  int width = 1280, height = 720;
  std::vector<TicketSpec> tickets;  // may be empty: a frame with no code
  double defocus_sigma = 0;         // Gaussian blur sigma in px, whole frame
  double motion_blur_px = 0;        // blur length; the tickets and hands move, not the room
  double motion_angle_deg = 0;      // direction of that motion, also of the rolling shutter's
  double motion_curve = 0;          // the path bows sideways by this share of its length
  double motion_ease = 0;           // 0..0.9: the hand speeds up along the path (0 = steady)
  double defocus_disc_px = 0;       // radius of a lens's disc blur on the tickets and hands,
                                    // which stand nearer than the webcam's fixed focus
  double rolling_shutter_px = 0;    // how far the tickets move while the sensor reads its
                                    // rows, top to bottom: shears them along the motion
  double noise_sigma = 0;           // sensor noise (near-Gaussian), 0..255 scale
  double light = 1.0;               // exposure; 0.25 = dark room (lit screens dim less)
  bool glare = false;               // specular blob over part of the first code
  uint64_t glare_seed = 0;          // 0: placed with the rest of the scene; else where
                                    // and how the highlight falls, on its own
  double glare_size = 1;            // the highlight's width, times a lamp's usual
  int jpeg_quality = 0;             // 0 = none; else re-encode through JPEG
  uint64_t seed = 1;                // room, person, hands, paper and small jitter
};

// Renders one frame: CV_8UC3 BGR, width x height; about 40 ms at 720p. Throws
// std::invalid_argument when a payload is empty or too long for a QR code
// (about 2.3 kB at level M), a module_px is outside (0.5, 200), or a side of the
// frame is outside 16..16384.
cv::Mat RenderScene(const SceneSpec& spec);

// A person holding up one ticket per code, side by side, 5 px modules; no
// code, nobody holding one up. For tests that need a readable frame, not a
// hard one.
cv::Mat RenderTickets(const std::vector<std::string>& codes, Medium medium = Medium::kPaper,
                      uint64_t seed = 1);

// The golden corpus. `expected` lists the payloads a perfect reader finds.
struct CorpusCase {
  std::string category;
  std::string name;  // unique in the corpus: "<category>_<index, 3 digits>"
  SceneSpec scene;
  std::vector<std::string> expected;
};

// paper_plain, rotated, tilt, small, phone_light, phone_dark, defocus, motion,
// curved, low_light, glare, jpeg, multi, none: the gentle ones; then what a
// door's webcam shows and they did not: motion_strong, curved_strong,
// tilt_steep, defocus_disc, rolling_shutter, low_contrast, thumb.
std::vector<std::string> CorpusCategories();

// per_category cases of each category, drawn from `seed`; a case depends only on
// (seed, category, index), so a larger corpus extends a smaller one. Cheap: the
// frames are rendered by the caller. Throws std::invalid_argument on a bad size.
std::vector<CorpusCase> GoldenCorpus(int per_category, uint64_t seed, int width = 1280,
                                     int height = 720);

// A queue at the desk: each payload held up in turn by a new person for
// hold_frames frames (raised into view, then small hand jitter), followed by
// gap_frames frames with no code.
struct QueueSpec {
  std::vector<std::string> payloads;
  int hold_frames = 20;
  int gap_frames = 10;
  double fps = 30;
  int width = 1280;
  int height = 720;
  uint64_t seed = 7;
  // Each person's medium is drawn from this list; repeat an entry to weight it.
  // By default one in five shows a dark-mode phone.
  std::vector<Medium> media = {Medium::kPaper, Medium::kPaper, Medium::kPhoneLight,
                               Medium::kPhoneLight, Medium::kPhoneDark};
};

// A few consecutive frames of one person holding `scene`'s tickets up to a
// live camera: the hand trembles between frames and every frame gets its own
// sensor noise (and, with glare, its own highlight), as a webcam sees a
// ticket it cannot read in any single frame. Frames are numbered from
// `first`, so two bursts of the same scene with different payloads follow on
// from each other as one hand showing two tickets in turn.
struct BurstSpec {
  SceneSpec scene;
  int frames = 6;
  int first = 0;
  double tremor_px = 2.5;   // how far the ticket's centre wanders, peak
  double tremor_deg = 0.6;  // how far it turns in the plane, peak
};

// CV_8UC3 BGR frames, `frames` of them; throws as RenderScene does.
std::vector<cv::Mat> RenderBurst(const BurstSpec& spec);

// Bursts no single frame of which a reader should be expected to read, but
// whose frames together hold the code: "dim", a ticket in a dark corner of the
// hall at a webcam's highest gain (heavy sensor noise); "glare", glossy paper
// or a phone's glass under a large lamp, the highlight moving over the code
// as the hand trembles. A case depends only on (seed, category, index).
struct BurstCase {
  std::string category;
  std::string name;  // "<category>_<index, 3 digits>"
  BurstSpec burst;
  std::string expected;  // the payload
};
std::vector<BurstCase> BurstCorpus(int per_category, uint64_t seed);

// Writes an MJPG .avi with cv::VideoWriter. Blocks for about 30 ms a frame. On
// failure (bad spec, a payload that is no QR code, no writer) returns false and
// sets *error; a partial file may remain.
bool WriteQueueVideo(const QueueSpec& spec, const std::string& path, std::string* error);

}  // namespace checkin::synth
