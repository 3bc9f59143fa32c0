// The geofence map the Geofences page imports: Leaflet circles over a tile server (a setting) or, without one, a plain grid
// with coordinates, so the page works offline and in tests. Draw: press, drag to the radius, release. Drag a circle to move it.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import './map.css';

const maps = new Map();

function gridStep(map) {
  // about eight grid lines across the visible width, on a round number of degrees
  const span = map.getBounds().getEast() - map.getBounds().getWest();
  const raw = span / 8;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  return [1, 2, 5, 10].map(m => m * pow).find(s => s >= raw) || raw;
}

function drawGrid(state) {
  const { map, grid } = state;
  grid.clearLayers();
  const b = map.getBounds();
  const step = gridStep(map);
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let lat = Math.ceil(b.getSouth() / step) * step; lat <= b.getNorth(); lat += step) {
    L.polyline([[lat, b.getWest()], [lat, b.getEast()]], { color: '#8884', weight: 1, interactive: false }).addTo(grid);
    L.marker([lat, b.getWest()], { interactive: false, icon: L.divIcon({ className: 'map-grid-label', html: lat.toFixed(digits), iconSize: null }) }).addTo(grid);
  }
  for (let lon = Math.ceil(b.getWest() / step) * step; lon <= b.getEast(); lon += step) {
    L.polyline([[b.getSouth(), lon], [b.getNorth(), lon]], { color: '#8884', weight: 1, interactive: false }).addTo(grid);
    // at the top edge the label hangs inside the map (a divIcon draws below and right of its point)
    L.marker([b.getNorth(), lon], { interactive: false, icon: L.divIcon({ className: 'map-grid-label', html: lon.toFixed(digits), iconSize: null }) }).addTo(grid);
  }
}

function round(v) { return Math.round(v * 1e6) / 1e6; }

function addCircle(state, f) {
  const circle = L.circle([f.latitude, f.longitude], { radius: f.radius, color: f.color || '#1565c0', weight: 2, fillOpacity: 0.15 }).addTo(state.layer);
  // without tiles each circle keeps a short label (its id); the full line shows on hover either way
  const full = `${f.name} (${f.id})<br>${round(f.latitude)}, ${round(f.longitude)} · ${Math.round(f.radius)} m`;
  if (state.tiles) circle.bindTooltip(full, { direction: 'top' });
  else {
    circle.bindTooltip(f.id, { permanent: true, direction: 'center', className: 'map-circle-label' });
    circle.on('mouseover', () => circle.setTooltipContent(full));
    circle.on('mouseout', () => circle.setTooltipContent(f.id));
  }
  circle.on('mousedown', e => {
    if (state.drawing) return;
    L.DomEvent.stop(e);
    state.map.dragging.disable();
    state.moving = { circle, id: f.id };
  });
  state.circles.set(f.id, circle);
}

export function create(element, dotnet, options) {
  const map = L.map(element, { zoomControl: true, attributionControl: !!options.tileUrl, boxZoom: false, doubleClickZoom: false })
    .setView([options.latitude, options.longitude], options.zoom || 16);
  const state = { map, dotnet, tiles: !!options.tileUrl, layer: L.layerGroup().addTo(map), grid: L.layerGroup().addTo(map), circles: new Map(), drawing: false };
  if (options.tileUrl) {
    L.tileLayer(options.tileUrl, { maxZoom: 19, attribution: options.attribution || '' }).addTo(map);
  } else {
    element.classList.add('map-no-tiles');
    drawGrid(state);
    map.on('moveend zoomend', () => drawGrid(state));
  }
  map.on('mousedown', e => {
    if (!state.drawing) return;
    map.dragging.disable();
    state.draft = L.circle(e.latlng, { radius: 20, color: '#e65100', weight: 2, dashArray: '4', fillOpacity: 0.1 }).addTo(map);
  });
  map.on('mousemove', e => {
    if (state.draft) state.draft.setRadius(Math.max(20, map.distance(state.draft.getLatLng(), e.latlng)));
    if (state.moving) state.moving.circle.setLatLng(e.latlng);
  });
  map.on('mouseup', () => {
    if (state.draft) {
      const c = state.draft.getLatLng();
      const radius = Math.min(10000, Math.round(state.draft.getRadius()));
      state.draft.remove();
      state.draft = null;
      state.drawing = false;
      element.classList.remove('map-drawing');
      map.dragging.enable();
      dotnet.invokeMethodAsync('Drawn', round(c.lat), round(c.lng), radius);
    }
    if (state.moving) {
      const { circle, id } = state.moving;
      state.moving = null;
      map.dragging.enable();
      const c = circle.getLatLng();
      dotnet.invokeMethodAsync('Moved', id, round(c.lat), round(c.lng));
    }
  });
  const mapId = element.id || Math.random().toString(36).slice(2);
  maps.set(mapId, state);
  setFences(element, options.fences || []);
  element.dataset.mapReady = 'true';
  return mapId;
}

function stateOf(element) {
  for (const s of maps.values()) if (s.map.getContainer() === element) return s;
  return null;
}

export function setFences(element, fences) {
  const state = stateOf(element);
  if (!state) return;
  state.layer.clearLayers();
  state.circles.clear();
  fences.forEach(f => addCircle(state, f));
  element.dataset.circles = String(fences.length);
}

export function startDrawing(element) {
  const state = stateOf(element);
  if (!state) return;
  state.drawing = true;
  element.classList.add('map-drawing');
}

export function focus(element, latitude, longitude) {
  const state = stateOf(element);
  if (state) state.map.panTo([latitude, longitude]);
}

export function dispose(element) {
  for (const [key, s] of maps) if (s.map.getContainer() === element) { s.map.remove(); maps.delete(key); }
}
