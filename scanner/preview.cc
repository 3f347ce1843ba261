#include "scanner/preview.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <unicode/unistr.h>

#include <cstdlib>
#include <opencv2/highgui.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace checkin::scanner {
namespace {

cv::Scalar Colour(Tone t) {
  switch (t) {
    case Tone::kGreen:
      return {60, 150, 30};  // BGR
    case Tone::kAmber:
      return {0, 170, 245};
    case Tone::kRed:
      return {40, 40, 200};
  }
  return {0, 0, 0};
}

}  // namespace

// OpenCV's own fonts have no accents ("María" would come out "Mar??a"), so
// text is drawn with FreeType from a TrueType font.
struct StationPainter::Face {
  FT_Library ft = nullptr;
  FT_Face face = nullptr;

  ~Face() {
    if (face != nullptr) FT_Done_Face(face);
    if (ft != nullptr) FT_Done_FreeType(ft);
  }

  // Draws `text` in white with its baseline at (x, y); returns its width.
  int Text(cv::Mat& img, const std::string& text, int x, int y, int px, bool draw = true) {
    FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(px));
    int pen = x;
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);  // bad bytes become U+FFFD
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
      if (FT_Load_Char(face, static_cast<FT_ULong>(u.char32At(i)), FT_LOAD_RENDER) != 0) continue;
      const FT_GlyphSlot g = face->glyph;
      if (draw) Blend(img, g, pen + g->bitmap_left, y - g->bitmap_top);
      pen += static_cast<int>(g->advance.x >> 6);
    }
    return pen - x;
  }

  static void Blend(cv::Mat& img, const FT_GlyphSlot g, int left, int top) {
    for (unsigned r = 0; r < g->bitmap.rows; ++r) {
      for (unsigned c = 0; c < g->bitmap.width; ++c) {
        const int x = left + static_cast<int>(c), y = top + static_cast<int>(r);
        if (x < 0 || y < 0 || x >= img.cols || y >= img.rows) continue;
        const double a = g->bitmap.buffer[r * static_cast<unsigned>(g->bitmap.pitch) + c] / 255.0;
        auto& p = img.at<cv::Vec3b>(y, x);
        for (int k = 0; k < 3; ++k) p[k] = static_cast<uint8_t>(p[k] * (1 - a) + 255 * a);
      }
    }
  }

  // The largest size up to `px` at which `text` fits `width`.
  int Fit(cv::Mat& img, const std::string& text, int width, int px) {
    while (px > 12 && Text(img, text, 0, 0, px, false) > width) px -= 2;
    return px;
  }
};

StationPainter::StationPainter(std::unique_ptr<Face> face) : face_(std::move(face)) {}
StationPainter::~StationPainter() = default;

Result<std::unique_ptr<StationPainter>> StationPainter::Create(const std::string& font_path) {
  auto face = std::make_unique<Face>();
  if (FT_Init_FreeType(&face->ft) != 0 ||
      FT_New_Face(face->ft, font_path.c_str(), 0, &face->face) != 0) {
    return Status::NotFound("cannot load the screen font " + font_path);
  }
  return std::unique_ptr<StationPainter>(new StationPainter(std::move(face)));
}

Frame StationPainter::Paint(const Frame& frame, const std::vector<Detection>& codes,
                            const std::optional<Banner>& banner, const std::string& band) {
  Frame out;
  if (!frame.Valid()) return out;
  cv::Mat src(frame.height, frame.width, frame.channels == 3 ? CV_8UC3 : CV_8UC1,
              const_cast<uint8_t*>(frame.pixels.data()));
  cv::Mat img;
  if (frame.channels == 1) {
    cv::cvtColor(src, img, cv::COLOR_GRAY2BGR);
  } else {
    img = src.clone();
  }
  const int thick = std::max(2, img.cols / 300);
  for (const Detection& d : codes) {
    std::vector<cv::Point> poly;
    for (const Point& p : d.corners)
      poly.emplace_back(static_cast<int>(p.x), static_cast<int>(p.y));
    cv::polylines(img, poly, true, banner ? Colour(banner->tone) : cv::Scalar(255, 200, 0), thick,
                  cv::LINE_AA);
  }
  if (banner) {
    // A band across the bottom third: big enough to read from two metres.
    const int h = img.rows / 3, top = img.rows - h, pad = img.cols / 40;
    cv::rectangle(img, cv::Rect(0, top, img.cols, h), Colour(banner->tone), cv::FILLED);
    Face& f = *face_;
    const int w = img.cols - 2 * pad;
    const int title_px = f.Fit(img, banner->title, w, h * 2 / 5);
    f.Text(img, banner->title, pad, top + title_px + pad / 2, title_px);
    const int name_px = f.Fit(img, banner->name, w, h / 5);
    f.Text(img, banner->name, pad, top + title_px + name_px + pad, name_px);
    const int detail_px = f.Fit(img, banner->detail, w, h / 9);
    f.Text(img, banner->detail, pad, img.rows - pad / 2, detail_px);
  }
  if (!band.empty()) {
    // A strip across the top, amber like a warning, that stays while the
    // hub is away: the volunteer knows without reading the verdict.
    const int h = std::max(24, img.rows / 12), pad = img.cols / 80;
    cv::rectangle(img, cv::Rect(0, 0, img.cols, h), Colour(Tone::kAmber), cv::FILLED);
    const int px = face_->Fit(img, band, img.cols - 2 * pad, h * 2 / 3);
    face_->Text(img, band, pad, (h + px) / 2, px);
  }
  out.width = img.cols;
  out.height = img.rows;
  out.channels = 3;
  out.pixels.assign(img.data, img.data + img.total() * img.elemSize());
  return out;
}

PreviewWindow::PreviewWindow(std::string title, std::unique_ptr<StationPainter> painter)
    : title_(std::move(title)), painter_(std::move(painter)) {}

Result<std::string> EncodeJpeg(const Frame& frame, int quality) {
  if (!frame.Valid()) return Status::InvalidInput("not a valid frame to encode");
  const cv::Mat view(frame.height, frame.width, frame.channels == 3 ? CV_8UC3 : CV_8UC1,
                     const_cast<uint8_t*>(frame.pixels.data()));
  std::vector<uint8_t> out;
  try {
    if (!cv::imencode(".jpg", view, out, {cv::IMWRITE_JPEG_QUALITY, quality}))
      return Status::DeviceError("OpenCV could not encode the frame as JPEG");
  } catch (const cv::Exception& e) {
    return Status::DeviceError(std::string("JPEG encoding failed: ") + e.what());
  }
  return std::string(out.begin(), out.end());
}

PreviewWindow::~PreviewWindow() {
  try {
    cv::destroyWindow(title_);
  } catch (const cv::Exception&) {
  }
}

Result<std::unique_ptr<PreviewWindow>> PreviewWindow::Open(const std::string& title,
                                                           const std::string& font_path) {
  // highgui aborts the process when there is no display; ask first.
  const char* x = std::getenv("DISPLAY");
  const char* wl = std::getenv("WAYLAND_DISPLAY");
  if ((x == nullptr || *x == '\0') && (wl == nullptr || *wl == '\0')) {
    return Status::Unavailable("no display (DISPLAY is not set); run with --headless");
  }
  auto painter = StationPainter::Create(font_path);
  if (!painter.ok()) return painter.status();
  try {
    cv::namedWindow(title, cv::WINDOW_NORMAL | cv::WINDOW_KEEPRATIO);
    cv::resizeWindow(title, 1280, 720);
  } catch (const cv::Exception& e) {
    return Status::Unavailable(std::string("cannot open a window: ") + e.what());
  }
  return std::unique_ptr<PreviewWindow>(new PreviewWindow(title, std::move(painter).value()));
}

void PreviewWindow::Show(const Frame& frame, const std::vector<Detection>& codes,
                         const std::optional<Banner>& banner, const std::string& band) {
  const Frame view = painter_->Paint(frame, codes, banner, band);
  if (!view.Valid()) return;
  cv::imshow(title_,
             cv::Mat(view.height, view.width, CV_8UC3, const_cast<uint8_t*>(view.pixels.data())));
  QuitRequested();
}

bool PreviewWindow::QuitRequested() {
  const int key = cv::waitKey(1);
  if (key == 27 || key == 'q' || key == 'Q') quit_ = true;
  try {
    if (cv::getWindowProperty(title_, cv::WND_PROP_VISIBLE) < 1) quit_ = true;
  } catch (const cv::Exception&) {
    quit_ = true;
  }
  return quit_;
}

}  // namespace checkin::scanner
