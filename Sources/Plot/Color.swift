// Every colour value Plot uses is defined in this file: the qualitative palette, the sequential
// and diverging maps, and the few greys of the chart furniture.

/// An sRGB colour with straight (not premultiplied) alpha; components in 0...1.
public struct Color: Hashable, Sendable, CustomStringConvertible {
  /// Red component, 0...1.
  public var red: Double
  /// Green component, 0...1.
  public var green: Double
  /// Blue component, 0...1.
  public var blue: Double
  /// Opacity, 0 (transparent) ... 1 (opaque).
  public var alpha: Double

  /// Components are clamped to 0...1.
  public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
    self.red = Color.clamp(red)
    self.green = Color.clamp(green)
    self.blue = Color.clamp(blue)
    self.alpha = Color.clamp(alpha)
  }

  /// A colour from `0xRRGGBB`.
  public init(hex: UInt32, alpha: Double = 1) {
    self.init(
      red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
      blue: Double(hex & 0xFF) / 255, alpha: alpha)
  }

  /// A colour from `"#RRGGBB"` or `"RRGGBB"`; nil when the text is not six hex digits.
  public init?(hex text: String) {
    let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
    guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
    self.init(hex: value)
  }

  /// `#rrggbb` (alpha is not included).
  public var hexString: String {
    func byte(_ v: Double) -> String {
      let s = String(Int((v * 255).rounded()), radix: 16)
      return s.count == 1 ? "0" + s : s
    }
    return "#" + byte(red) + byte(green) + byte(blue)
  }

  /// `#rrggbb`, followed by ` α=0.5` (the alpha) when it is not 1.
  public var description: String {
    alpha == 1 ? hexString : "\(hexString) α=\(alpha)"
  }

  /// The same colour with another opacity.
  public func withAlpha(_ alpha: Double) -> Color {
    Color(red: red, green: green, blue: blue, alpha: alpha)
  }

  /// Linear interpolation in sRGB: `t = 0` gives `a`, `t = 1` gives `b`; `t` is clamped.
  public static func mix(_ a: Color, _ b: Color, _ t: Double) -> Color {
    let u = clamp(t)
    return Color(
      red: a.red + (b.red - a.red) * u, green: a.green + (b.green - a.green) * u,
      blue: a.blue + (b.blue - a.blue) * u, alpha: a.alpha + (b.alpha - a.alpha) * u)
  }

  /// Relative luminance-like grey value (Rec. 709 weights on sRGB), 0 black … 1 white.
  public var lightness: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

  /// Cairo's pixel format: premultiplied ARGB in a native-endian 32-bit word.
  var premultipliedARGB: UInt32 {
    let a = alpha
    func channel(_ v: Double) -> UInt32 { UInt32((v * a * 255).rounded()) }
    return (UInt32((a * 255).rounded()) << 24) | (channel(red) << 16) | (channel(green) << 8)
      | channel(blue)
  }

  private static func clamp(_ v: Double) -> Double {
    v.isNaN ? 0 : min(max(v, 0), 1)
  }

  /// `#000000`.
  public static let black = Color(hex: 0x000000)
  /// `#ffffff`.
  public static let white = Color(hex: 0xFFFFFF)
  /// Black at alpha 0: draws nothing.
  public static let clear = Color(red: 0, green: 0, blue: 0, alpha: 0)
}

/// Colours of the chart furniture (text, frame, grid).
public enum Theme {
  /// Titles and labels: `#222222`.
  public static let text = Color(hex: 0x222222)
  /// Tick labels: `#3a3a3a`.
  public static let tickLabel = Color(hex: 0x3A3A3A)
  /// The frame of a plot area and its ticks: `#4d4d4d`.
  public static let frame = Color(hex: 0x4D4D4D)
  /// Grid lines: `#ebebeb`.
  public static let grid = Color(hex: 0xEBEBEB)
  /// The legend's frame: `#cccccc`.
  public static let legendFrame = Color(hex: 0xCCCCCC)
  /// Reference lines (zero lines): `Palette.grey`.
  public static let reference = Palette.grey
  /// Figure background: white.
  public static let background = Color.white
}

/// Okabe–Ito qualitative palette (Okabe & Ito 2008): eight colours distinguishable with the
/// common colour-vision deficiencies. Orange/vermillion with blue is a safe two-class pair.
public enum Palette {
  /// Okabe–Ito black `#000000`.
  public static let black = Color(hex: 0x000000)
  /// Okabe–Ito orange `#e69f00`.
  public static let orange = Color(hex: 0xE69F00)
  /// Okabe–Ito sky blue `#56b4e9`.
  public static let skyBlue = Color(hex: 0x56B4E9)
  /// Okabe–Ito bluish green `#009e73`.
  public static let bluishGreen = Color(hex: 0x009E73)
  /// Okabe–Ito yellow `#f0e442` (weak on white: last in `series`).
  public static let yellow = Color(hex: 0xF0E442)
  /// Okabe–Ito blue `#0072b2`.
  public static let blue = Color(hex: 0x0072B2)
  /// Okabe–Ito vermillion `#d55e00`.
  public static let vermillion = Color(hex: 0xD55E00)
  /// Okabe–Ito reddish purple `#cc79a7`.
  public static let reddishPurple = Color(hex: 0xCC79A7)
  /// Dark grey for reference lines (zero lines) and annotations.
  public static let grey = Color(hex: 0x595959)

  /// The palette in its published order.
  public static let okabeIto: [Color] = [
    black, orange, skyBlue, bluishGreen, yellow, blue, vermillion, reddishPurple,
  ]

  /// Order in which series get colours when none is given: the strongest contrasts first,
  /// yellow (weak on white) last. Each is a line's colour, so each is darkened as little as gives
  /// it 3:1 on white (WCAG 1.4.11; `Color.readable(on:minimum:)`): orange (2.2:1), sky blue (2.3:1)
  /// and yellow (1.3:1) are; the others are Okabe–Ito's own.
  public static let series: [Color] = [
    blue, vermillion, bluishGreen, orange, reddishPurple, skyBlue, black, yellow,
  ].map { $0.readable(on: .white, minimum: ColorContrast.graphics) }

  /// The `index`-th series colour, cycling.
  public static func series(_ index: Int) -> Color {
    series[((index % series.count) + series.count) % series.count]
  }

  /// Two-class colours matching `ColorMap.probability`: class 0 orange, class 1 blue.
  public static let class0 = Color(hex: 0xE07B00)
  /// Class 1's marker colour, `#0062a3`: a darker blue than the field's, so markers stand out on it.
  public static let class1 = Color(hex: 0x0062A3)
}

/// Maps a number in `domain` to a colour by interpolating evenly spaced anchor colours.
///
/// Values outside the domain are clamped; NaN maps to `nanColor`. With `steps` set, the domain
/// is cut into that many equal bins and each bin gets the colour of its centre (a discretised,
/// "stepped" map).
public struct ColorMap: Sendable, Equatable {
  /// The values mapped onto the anchors; values outside are clamped to its ends.
  public var domain: ClosedRange<Double>
  /// Colours at evenly spaced positions from `domain.lowerBound` to `domain.upperBound`.
  public var anchors: [Color]
  /// Number of discrete bins, or nil for a continuous map.
  public var steps: Int?
  /// Colour for NaN inputs.
  public var nanColor: Color = Color(hex: 0xBFBFBF)

  /// - Precondition: at least two anchors; `steps`, when given, at least 2.
  public init(domain: ClosedRange<Double> = 0...1, anchors: [Color], steps: Int? = nil) {
    precondition(anchors.count >= 2, "a colour map needs at least two anchors")
    precondition(steps.map { $0 >= 2 } ?? true, "a stepped map needs at least two steps")
    self.domain = domain
    self.anchors = anchors
    self.steps = steps
  }

  /// Colour for `value`.
  public func color(_ value: Double) -> Color {
    guard !value.isNaN else { return nanColor }
    guard let steps else { return color(at: position(value)) }
    return color(at: Self.centre(ofBin: bin(value, steps: steps), steps: steps))
  }

  /// Where `value` (not NaN) lies in the domain, 0 … 1, clamped.
  private func position(_ value: Double) -> Double {
    let span = domain.upperBound - domain.lowerBound
    let t = span > 0 ? (value - domain.lowerBound) / span : 0.5
    return min(max(t, 0), 1)
  }

  /// The bin of `steps` that `value` falls in, or `steps` for NaN.
  func bin(_ value: Double, steps: Int) -> Int {
    value.isNaN ? steps : min(Int(position(value) * Double(steps)), steps - 1)
  }

  private static func centre(ofBin bin: Int, steps: Int) -> Double { (Double(bin) + 0.5) / Double(steps) }

  /// The colour at `t` (0 … 1) along the anchors.
  private func color(at t: Double) -> Color {
    let position = t * Double(anchors.count - 1)
    let i = min(Int(position), anchors.count - 2)
    return Color.mix(anchors[i], anchors[i + 1], position - Double(i))
  }

  /// A stepped map's colours as Cairo's premultiplied ARGB words, indexed by `bin(_:steps:)`:
  /// each bin's colour (what `color(_:)` gives every value in it), then NaN's. An image of a
  /// stepped map looks its pixels up here instead of mixing and rounding a colour for each.
  func binWords(steps: Int) -> [UInt32] {
    (0..<steps).map { color(at: Self.centre(ofBin: $0, steps: steps)).premultipliedARGB }
      + [nanColor.premultipliedARGB]
  }

  /// The same map over another domain.
  public func with(domain: ClosedRange<Double>) -> ColorMap {
    var copy = self
    copy.domain = domain
    return copy
  }

  /// The same map cut into `steps` equal bins.
  public func discretised(_ steps: Int) -> ColorMap {
    var copy = self
    copy.steps = steps
    return copy
  }

  /// The same map running the other way.
  public var reversed: ColorMap {
    var copy = self
    copy.anchors = anchors.reversed()
    return copy
  }

  /// viridis (van der Walt & Smith, matplotlib's default), perceptually uniform, 256 entries.
  public static func viridis(domain: ClosedRange<Double> = 0...1) -> ColorMap {
    ColorMap(domain: domain, anchors: ColorTables.viridis.map { Color(hex: $0) })
  }

  /// cividis (Nuñez et al. 2018): viridis-like and uniform also for deuteranopes, 256 entries.
  public static func cividis(domain: ClosedRange<Double> = 0...1) -> ColorMap {
    ColorMap(domain: domain, anchors: ColorTables.cividis.map { Color(hex: $0) })
  }

  /// The TensorFlow Playground field: orange `#f59322` (class 0, p = 0) → grey `#e8eaeb`
  /// (p = 0.5) → blue `#0877bd` (class 1, p = 1). Orange/blue stays distinct for deuteranopes.
  public static func probability(domain: ClosedRange<Double> = 0...1) -> ColorMap {
    ColorMap(
      domain: domain,
      anchors: [Color(hex: 0xF59322), Color(hex: 0xE8EAEB), Color(hex: 0x0877BD)])
  }

  /// ColorBrewer RdBu-11, red (low) → near white (centre) → blue (high).
  public static func redBlue(domain: ClosedRange<Double> = -1...1) -> ColorMap {
    ColorMap(
      domain: domain,
      anchors: [
        0x67001F, 0xB2182B, 0xD6604D, 0xF4A582, 0xFDDBC7, 0xF7F7F7, 0xD1E5F0, 0x92C5DE,
        0x4393C3, 0x2166AC, 0x053061,
      ].map { Color(hex: $0) })
  }

  /// Light grey to near black, for greyscale fields.
  public static func greys(domain: ClosedRange<Double> = 0...1) -> ColorMap {
    ColorMap(domain: domain, anchors: [Color(hex: 0xF7F7F7), Color(hex: 0x252525)])
  }
}

/// 256-entry tables, as printed by R's viridisLite 0.4.1 (`viridis(256)`, `cividis(256)`).
enum ColorTables {
  static let viridis: [UInt32] = [
    0x440154, 0x440256, 0x450457, 0x450559, 0x46075A, 0x46085C, 0x460A5D, 0x460B5E,
    0x470D60, 0x470E61, 0x471063, 0x471164, 0x471365, 0x481467, 0x481668, 0x481769,
    0x48186A, 0x481A6C, 0x481B6D, 0x481C6E, 0x481D6F, 0x481F70, 0x482071, 0x482173,
    0x482374, 0x482475, 0x482576, 0x482677, 0x482878, 0x482979, 0x472A7A, 0x472C7A,
    0x472D7B, 0x472E7C, 0x472F7D, 0x46307E, 0x46327E, 0x46337F, 0x463480, 0x453581,
    0x453781, 0x453882, 0x443983, 0x443A83, 0x443B84, 0x433D84, 0x433E85, 0x423F85,
    0x424086, 0x424186, 0x414287, 0x414487, 0x404588, 0x404688, 0x3F4788, 0x3F4889,
    0x3E4989, 0x3E4A89, 0x3E4C8A, 0x3D4D8A, 0x3D4E8A, 0x3C4F8A, 0x3C508B, 0x3B518B,
    0x3B528B, 0x3A538B, 0x3A548C, 0x39558C, 0x39568C, 0x38588C, 0x38598C, 0x375A8C,
    0x375B8D, 0x365C8D, 0x365D8D, 0x355E8D, 0x355F8D, 0x34608D, 0x34618D, 0x33628D,
    0x33638D, 0x32648E, 0x32658E, 0x31668E, 0x31678E, 0x31688E, 0x30698E, 0x306A8E,
    0x2F6B8E, 0x2F6C8E, 0x2E6D8E, 0x2E6E8E, 0x2E6F8E, 0x2D708E, 0x2D718E, 0x2C718E,
    0x2C728E, 0x2C738E, 0x2B748E, 0x2B758E, 0x2A768E, 0x2A778E, 0x2A788E, 0x29798E,
    0x297A8E, 0x297B8E, 0x287C8E, 0x287D8E, 0x277E8E, 0x277F8E, 0x27808E, 0x26818E,
    0x26828E, 0x26828E, 0x25838E, 0x25848E, 0x25858E, 0x24868E, 0x24878E, 0x23888E,
    0x23898E, 0x238A8D, 0x228B8D, 0x228C8D, 0x228D8D, 0x218E8D, 0x218F8D, 0x21908D,
    0x21918C, 0x20928C, 0x20928C, 0x20938C, 0x1F948C, 0x1F958B, 0x1F968B, 0x1F978B,
    0x1F988B, 0x1F998A, 0x1F9A8A, 0x1E9B8A, 0x1E9C89, 0x1E9D89, 0x1F9E89, 0x1F9F88,
    0x1FA088, 0x1FA188, 0x1FA187, 0x1FA287, 0x20A386, 0x20A486, 0x21A585, 0x21A685,
    0x22A785, 0x22A884, 0x23A983, 0x24AA83, 0x25AB82, 0x25AC82, 0x26AD81, 0x27AD81,
    0x28AE80, 0x29AF7F, 0x2AB07F, 0x2CB17E, 0x2DB27D, 0x2EB37C, 0x2FB47C, 0x31B57B,
    0x32B67A, 0x34B679, 0x35B779, 0x37B878, 0x38B977, 0x3ABA76, 0x3BBB75, 0x3DBC74,
    0x3FBC73, 0x40BD72, 0x42BE71, 0x44BF70, 0x46C06F, 0x48C16E, 0x4AC16D, 0x4CC26C,
    0x4EC36B, 0x50C46A, 0x52C569, 0x54C568, 0x56C667, 0x58C765, 0x5AC864, 0x5CC863,
    0x5EC962, 0x60CA60, 0x63CB5F, 0x65CB5E, 0x67CC5C, 0x69CD5B, 0x6CCD5A, 0x6ECE58,
    0x70CF57, 0x73D056, 0x75D054, 0x77D153, 0x7AD151, 0x7CD250, 0x7FD34E, 0x81D34D,
    0x84D44B, 0x86D549, 0x89D548, 0x8BD646, 0x8ED645, 0x90D743, 0x93D741, 0x95D840,
    0x98D83E, 0x9BD93C, 0x9DD93B, 0xA0DA39, 0xA2DA37, 0xA5DB36, 0xA8DB34, 0xAADC32,
    0xADDC30, 0xB0DD2F, 0xB2DD2D, 0xB5DE2B, 0xB8DE29, 0xBADE28, 0xBDDF26, 0xC0DF25,
    0xC2DF23, 0xC5E021, 0xC8E020, 0xCAE11F, 0xCDE11D, 0xD0E11C, 0xD2E21B, 0xD5E21A,
    0xD8E219, 0xDAE319, 0xDDE318, 0xDFE318, 0xE2E418, 0xE5E419, 0xE7E419, 0xEAE51A,
    0xECE51B, 0xEFE51C, 0xF1E51D, 0xF4E61E, 0xF6E620, 0xF8E621, 0xFBE723, 0xFDE725,
  ]

  static let cividis: [UInt32] = [
    0x00204D, 0x00214E, 0x002250, 0x002252, 0x002353, 0x002455, 0x002557, 0x002558,
    0x00265A, 0x00275C, 0x00275E, 0x002860, 0x002961, 0x002A63, 0x002A65, 0x002B67,
    0x002C69, 0x002C6A, 0x002D6C, 0x002E6E, 0x002E6F, 0x002F6F, 0x002F6F, 0x00306F,
    0x00306F, 0x00316F, 0x00326F, 0x00336F, 0x00336F, 0x00346F, 0x00356E, 0x01366E,
    0x06366E, 0x0B376E, 0x0F386E, 0x12386D, 0x15396D, 0x183A6D, 0x1A3B6D, 0x1D3B6D,
    0x1F3C6D, 0x213D6D, 0x233E6C, 0x243E6C, 0x263F6C, 0x28406C, 0x2A406C, 0x2B416C,
    0x2D426C, 0x2E436C, 0x30436C, 0x31446B, 0x32456B, 0x34456B, 0x35466B, 0x36476B,
    0x38486B, 0x39486B, 0x3A496B, 0x3B4A6B, 0x3D4A6B, 0x3E4B6B, 0x3F4C6B, 0x404D6B,
    0x414D6B, 0x424E6B, 0x434F6B, 0x444F6B, 0x46506B, 0x47516B, 0x48526B, 0x49526B,
    0x4A536B, 0x4B546C, 0x4C546C, 0x4D556C, 0x4E566C, 0x4F576C, 0x50576C, 0x51586C,
    0x52596C, 0x53596C, 0x545A6C, 0x555B6D, 0x565C6D, 0x575C6D, 0x585D6D, 0x595E6D,
    0x595F6D, 0x5A5F6D, 0x5B606E, 0x5C616E, 0x5D616E, 0x5E626E, 0x5F636E, 0x60646F,
    0x61646F, 0x62656F, 0x63666F, 0x64666F, 0x646770, 0x656870, 0x666970, 0x676970,
    0x686A71, 0x696B71, 0x6A6C71, 0x6B6C71, 0x6C6D72, 0x6C6E72, 0x6D6E72, 0x6E6F73,
    0x6F7073, 0x707173, 0x717174, 0x727274, 0x727374, 0x737475, 0x747475, 0x757575,
    0x767676, 0x777776, 0x787777, 0x787877, 0x797977, 0x7A7A78, 0x7B7A78, 0x7C7B78,
    0x7D7C78, 0x7E7D78, 0x7F7D78, 0x807E79, 0x817F79, 0x828079, 0x838079, 0x848179,
    0x848279, 0x858379, 0x868379, 0x878479, 0x888579, 0x898679, 0x8A8779, 0x8B8779,
    0x8C8879, 0x8D8979, 0x8E8A79, 0x8F8A79, 0x908B79, 0x918C78, 0x928D78, 0x938E78,
    0x948E78, 0x958F78, 0x969078, 0x979178, 0x989278, 0x999278, 0x9A9377, 0x9B9477,
    0x9C9577, 0x9D9677, 0x9E9677, 0x9F9777, 0xA09877, 0xA19976, 0xA29A76, 0xA39A76,
    0xA49B76, 0xA59C76, 0xA69D75, 0xA89E75, 0xA99F75, 0xAA9F75, 0xABA074, 0xACA174,
    0xADA274, 0xAEA374, 0xAFA473, 0xB0A473, 0xB1A573, 0xB2A672, 0xB3A772, 0xB4A872,
    0xB5A971, 0xB6A971, 0xB7AA71, 0xB8AB70, 0xB9AC70, 0xBAAD70, 0xBBAE6F, 0xBCAF6F,
    0xBEAF6F, 0xBFB06E, 0xC0B16E, 0xC1B26D, 0xC2B36D, 0xC3B46D, 0xC4B56C, 0xC5B56C,
    0xC6B66B, 0xC7B76B, 0xC8B86A, 0xC9B96A, 0xCBBA69, 0xCCBB69, 0xCDBC68, 0xCEBC68,
    0xCFBD67, 0xD0BE67, 0xD1BF66, 0xD2C066, 0xD3C165, 0xD4C264, 0xD6C364, 0xD7C463,
    0xD8C563, 0xD9C562, 0xDAC661, 0xDBC761, 0xDCC860, 0xDDC95F, 0xDECA5F, 0xE0CB5E,
    0xE1CC5D, 0xE2CD5C, 0xE3CE5C, 0xE4CF5B, 0xE5D05A, 0xE6D159, 0xE8D259, 0xE9D358,
    0xEAD357, 0xEBD456, 0xECD555, 0xEDD654, 0xEFD753, 0xF0D852, 0xF1D951, 0xF2DA50,
    0xF3DB4F, 0xF4DC4E, 0xF6DD4D, 0xF7DE4C, 0xF8DF4B, 0xF9E04A, 0xFAE149, 0xFBE248,
    0xFDE346, 0xFEE445, 0xFFE544, 0xFFE642, 0xFFE742, 0xFFE843, 0xFFE944, 0xFFEA46,
  ]
}
