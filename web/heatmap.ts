/** The sweep maps: the library's heatmap writer (src/plot/heatmap.ts), shared with `optimlab sweep --out`. */
export { BASIN_COLOURS, cellAt, gridMapSvg, type CellColour, type GridMap } from "optimlab/plot";
