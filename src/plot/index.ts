/**
 * optimlab's plotting library: SVG figures of data (contours with
 * trajectories, 3-D surfaces, line charts, panels). Browser-safe: nothing
 * here imports node modules. PNG/GIF export lives in `./export.js` (Node only).
 */

export { boundaryPlot, boundaryKey, bandColor, BOUNDARY_LEVELS, CLASS_COLORS, type BoundaryPlotOptions } from "./boundary.js";
export {
  contourPlot,
  contourLevels,
  ContourCache,
  type ContourPlotOptions,
  type GridOptions,
  type LevelChoice,
  type LevelScale,
  type Minimum,
  type Trajectory,
} from "./contour.js";
export { surfacePlot, surfaceZRange, type SurfacePlotOptions, type SurfaceTrajectory } from "./surface.js";
export { lineChart, panels, type LineChartOptions, type PanelsOptions, type Series } from "./lines.js";
export {
  linearScale,
  logScale,
  niceStep,
  niceTicks,
  logTicks,
  formatNumber,
  formatTicks,
  type Scale,
} from "./scale.js";
export {
  OKABE_ITO,
  TRAJECTORY_COLORS,
  MARKER_FILL,
  MARKER_STROKE,
  trajectoryColor,
  runStyle,
  LINE_DASHES,
  viridis,
  viridisRgb,
  sequentialColors,
  contrastColor,
} from "./colors.js";
export { escapeXml, el, g, text, path, PathData, svgDocument, num, FONT_FAMILY } from "./svg.js";
export { textWidth } from "./text.js";
export { traceTrajectory, type Trace, type Rect } from "./trace.js";
export { starMarker } from "./marks.js";
export { gridMapSvg, cellAt, BASIN_COLOURS, type GridMap, type CellColour } from "./heatmap.js";
