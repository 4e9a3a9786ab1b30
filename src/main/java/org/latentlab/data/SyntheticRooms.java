package org.latentlab.data;

import java.util.List;

/**
 * Synthetic indoor RGB-D rooms with exact depth, drawn by a small ray caster.
 *
 * <p>Each image is one room: an axis-aligned box (floor with a plank pattern, four walls, ceiling,
 * each a colour with a little per-room variation) holding one to four objects standing on the
 * floor in front of the camera: axis-aligned boxes, spheres and vertical cylinders. A point light
 * under the ceiling gives Lambert shading plus ambient light, with hard shadows cast by the
 * objects; colours are gamma-encoded (γ = 2). The camera stands inside the room at 1.2–1.8 m,
 * looks roughly horizontally (pitch −15° to +3°) across the room, with a 60° vertical field of
 * view (the horizontal one follows the aspect ratio). Rooms are 3–7 m × 3.5–8 m × 2.4–3.2 m, so
 * the depths span about 0.6–10 m, like NYU Depth V2.
 *
 * <p>The depth plane holds the exact z-depth (distance along the optical axis, in metres) of the
 * first surface hit by the ray through each pixel centre; there are no missing pixels. Colour is
 * shaded from the same ray, and at edges (surface or shadow boundaries) averaged over a 2×2 grid
 * of rays (adaptive antialiasing).
 *
 * <p><b>Labels.</b> The class of an image is the number of objects placed in the room: classes
 * {@code "1 object"}, {@code "2 objects"}, {@code "3 objects"}, {@code "4 objects"} (labels 0–3),
 * drawn uniformly. Objects are placed within the horizontal field of view, but one may hide
 * another, so the count is of objects in the room, not necessarily of objects visible.
 *
 * <p><b>Determinism.</b> Image i of a stream depends only on (seed, stream, i): it has its own
 * random generator (SplitMix64) seeded from them, and the geometry uses only IEEE arithmetic,
 * {@code Math.sqrt} and {@code StrictMath} trigonometry, so the same seed gives the same bytes on
 * every JVM, and images can be made independently or in parallel. The training set is stream 0,
 * the test set of {@link #dataset} stream 1.
 */
public final class SyntheticRooms {
    /** Class names, in label order: label = object count − 1. */
    public static final List<String> CLASS_NAMES = List.of("1 object", "2 objects", "3 objects", "4 objects");
    /** Vertical field of view in degrees. */
    public static final double VERTICAL_FOV_DEGREES = 60;
    static final int MAX_OBJECTS = 4;

    private SyntheticRooms() {}

    /** count rooms of height × width from the training stream of seed. */
    public static ImageSet generate(int count, int height, int width, long seed) {
        return generate(count, height, width, seed, 0);
    }

    /** trainCount training and testCount test rooms; the test rooms come from another seed stream. */
    public static Dataset dataset(int trainCount, int testCount, int height, int width, long seed) {
        return new Dataset("Synthetic rooms", "synthetic RGB-D rooms (ray-cast)", null,
                generate(trainCount, height, width, seed, 0), generate(testCount, height, width, seed, 1));
    }

    static ImageSet generate(int count, int height, int width, long seed, int stream) {
        if (count < 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("count must be ≥ 0 and size positive: " + count + ", " + height + "×" + width);
        }
        long len = 4L * height * width;
        if (len * count > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(count + " images of " + height + "×" + width + " do not fit in one array");
        }
        float[] data = new float[(int) (len * count)];
        int[] labels = new int[count];
        Scene scene = new Scene();
        for (int i = 0; i < count; i++) {
            scene.randomise(imageSeed(seed, stream, i));
            scene.render(height, width, data, (int) (i * len));
            labels[i] = scene.objectCount - 1;
        }
        return new ImageSet("Synthetic rooms", Channels.RGBD, height, width, data, labels, CLASS_NAMES,
                LoadOptions.DEFAULT_DEPTH_MAX, 0);
    }

    /** The seed of image i of a stream. */
    static long imageSeed(long seed, int stream, int i) {
        return mix(mix(seed + 0x9E3779B97F4A7C15L * (stream + 1)) + i);
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * One room: geometry, colours, light and camera, and the ray caster. Mutable and reused from
     * image to image so rendering allocates nothing per ray.
     */
    static final class Scene {
        static final int BOX = 0, SPHERE = 1, CYLINDER = 2;
        private static final double EPS = 1e-6;

        // room [0,rw] × [0,rh] × [0,rd], y up
        double rw, rh, rd;
        // albedos: 0 floor, 1 ceiling, 2 wall x=0, 3 wall x=rw, 4 wall z=0, 5 wall z=rd, 6.. objects
        final double[] albedo = new double[3 * (6 + MAX_OBJECTS)];
        double lx, ly, lz, lightPower, ambient;
        // camera position and orthonormal basis (forward f, right r, up u)
        double cx, cy, cz, fx, fy, fz, rx, ry, rz, ux, uy, uz;
        int objectCount;
        final int[] type = new int[MAX_OBJECTS];
        // box: min x,y,z, max x,y,z; sphere: centre x,y,z, radius; cylinder: centre x,z, radius, height
        final double[][] p = new double[MAX_OBJECTS][6];

        // result of the last cast
        private double hitT, nx, ny, nz;
        private int hitSurface;
        private boolean shadowed;
        private double sr, sg, sb;
        private int[] ids = new int[0];

        private long rng;

        /** Sets the camera from a position, yaw (0 = looking along +z, positive turns to +x) and pitch. */
        void camera(double x, double y, double z, double yaw, double pitch) {
            cx = x;
            cy = y;
            cz = z;
            double cp = StrictMath.cos(pitch), sp = StrictMath.sin(pitch);
            double cyaw = StrictMath.cos(yaw), syaw = StrictMath.sin(yaw);
            fx = syaw * cp;
            fy = sp;
            fz = cyaw * cp;
            // right = forward × world up (0,1,0), normalised (right-handed, y up)
            rx = -cyaw;
            ry = 0;
            rz = syaw;
            // up = right × forward
            ux = ry * fz - rz * fy;
            uy = rz * fx - rx * fz;
            uz = rx * fy - ry * fx;
        }

        /** An empty room with plain colours: the base for hand-made test scenes. */
        void room(double width, double height, double depth) {
            rw = width;
            rh = height;
            rd = depth;
            for (int s = 0; s < 6 + MAX_OBJECTS; s++) setAlbedo(s, 0.7, 0.7, 0.7);
            lx = width / 2;
            ly = height - 0.15;
            lz = depth / 2;
            lightPower = 1;
            ambient = 0.25;
            objectCount = 0;
        }

        int addBox(double x0, double z0, double x1, double z1, double height) {
            double[] q = p[objectCount];
            q[0] = Math.min(x0, x1); q[1] = 0; q[2] = Math.min(z0, z1);
            q[3] = Math.max(x0, x1); q[4] = height; q[5] = Math.max(z0, z1);
            type[objectCount] = BOX;
            return objectCount++;
        }

        int addSphere(double x, double z, double radius) {
            double[] q = p[objectCount];
            q[0] = x; q[1] = radius; q[2] = z; q[3] = radius;
            type[objectCount] = SPHERE;
            return objectCount++;
        }

        int addCylinder(double x, double z, double radius, double height) {
            double[] q = p[objectCount];
            q[0] = x; q[1] = z; q[2] = radius; q[3] = height;
            type[objectCount] = CYLINDER;
            return objectCount++;
        }

        void setAlbedo(int surface, double r, double g, double b) {
            albedo[3 * surface] = clamp01(r);
            albedo[3 * surface + 1] = clamp01(g);
            albedo[3 * surface + 2] = clamp01(b);
        }

        // ------------------------------------------------------------ random scenes

        private double next() {
            rng += 0x9E3779B97F4A7C15L;
            return (mix(rng) >>> 11) * 0x1.0p-53;
        }

        private double uniform(double lo, double hi) {
            return lo + (hi - lo) * next();
        }

        /** A random room, camera, light and 1–4 objects from the given seed. */
        void randomise(long seed) {
            rng = seed;
            room(uniform(3.0, 7.0), uniform(2.4, 3.2), uniform(3.5, 8.0));
            // colours: walls share a tint, each varies a little; wooden or grey floor; pale ceiling
            double wr = uniform(0.55, 0.95), wg = uniform(0.55, 0.9), wb = uniform(0.5, 0.9);
            for (int s = 2; s < 6; s++) {
                double v = uniform(-0.06, 0.06);
                setAlbedo(s, wr + v + uniform(-0.03, 0.03), wg + v + uniform(-0.03, 0.03), wb + v + uniform(-0.03, 0.03));
            }
            if (next() < 0.65) {
                setAlbedo(0, uniform(0.35, 0.6), uniform(0.22, 0.4), uniform(0.1, 0.25));
            } else {
                double g = uniform(0.25, 0.55);
                setAlbedo(0, g + uniform(-0.04, 0.04), g + uniform(-0.04, 0.04), g + uniform(-0.04, 0.04));
            }
            double c = uniform(0.82, 0.95);
            setAlbedo(1, c, c, c - uniform(0, 0.05));
            lx = uniform(0.5, rw - 0.5);
            lz = uniform(0.5, rd - 0.5);
            ly = rh - 0.15;
            lightPower = uniform(0.9, 1.3);
            ambient = uniform(0.18, 0.3);

            // camera: inside with 0.8 m to every wall, looking towards the farthest corner ± 20°
            double x = uniform(0.8, rw - 0.8), z = uniform(0.8, rd - 0.8);
            double farX = x < rw / 2 ? rw : 0, farZ = z < rd / 2 ? rd : 0;
            double yaw = StrictMath.atan2(farX - x, farZ - z) + uniform(-0.35, 0.35);
            double pitch = Math.toRadians(uniform(-15, 3));
            camera(x, uniform(1.2, 1.8), z, yaw, pitch);

            int count = 1 + (int) (next() * MAX_OBJECTS);
            double halfH = Math.toRadians(VERTICAL_FOV_DEGREES / 2) * 0.9; // stay inside a square view
            for (int k = 0; k < count; k++) {
                placeObject(yaw, halfH);
            }
            for (int k = 0; k < objectCount; k++) {
                double[] rgb = hsv(next(), uniform(0.45, 0.9), uniform(0.55, 0.95));
                setAlbedo(6 + k, rgb[0], rgb[1], rgb[2]);
            }
        }

        private void placeObject(double yaw, double halfAngle) {
            for (int attempt = 0; ; attempt++) {
                double shrink = attempt < 20 ? 1 : 0.5;
                int t = (int) (next() * 3);
                double hx = 0, hz = 0, r = 0, height = 0, foot;
                if (t == BOX) {
                    hx = uniform(0.15, 0.6) * shrink;
                    hz = uniform(0.15, 0.6) * shrink;
                    height = uniform(0.3, 1.4);
                    foot = Math.sqrt(hx * hx + hz * hz);
                } else if (t == SPHERE) {
                    r = uniform(0.2, 0.55) * shrink;
                    foot = r;
                } else {
                    r = uniform(0.12, 0.45) * shrink;
                    height = uniform(0.4, 1.8);
                    foot = r;
                }
                double a = yaw + uniform(-halfAngle, halfAngle) * 0.8;
                double dx = StrictMath.sin(a), dz = StrictMath.cos(a);
                double wall = wallDistance(cx, cz, dx, dz);
                double near = foot + 0.9;
                double far = wall - foot - 0.05;
                if (far <= near) {
                    if (attempt < 60) continue;
                    far = near + 0.01; // tiny room: accept touching the wall
                }
                double d = uniform(near, Math.max(near, Math.min(far, near + 5)));
                double ox = cx + dx * d, oz = cz + dz * d;
                if (attempt < 40 && overlaps(ox, oz, foot)) continue;
                if (ox - foot < 0 || ox + foot > rw || oz - foot < 0 || oz + foot > rd) {
                    if (attempt < 60) continue;
                }
                if (t == BOX) addBox(ox - hx, oz - hz, ox + hx, oz + hz, height);
                else if (t == SPHERE) addSphere(ox, oz, r);
                else addCylinder(ox, oz, r, height);
                return;
            }
        }

        private boolean overlaps(double x, double z, double foot) {
            for (int k = 0; k < objectCount; k++) {
                double[] q = p[k];
                double ox, oz, of;
                if (type[k] == BOX) {
                    ox = (q[0] + q[3]) / 2; oz = (q[2] + q[5]) / 2;
                    double ax = (q[3] - q[0]) / 2, az = (q[5] - q[2]) / 2;
                    of = Math.sqrt(ax * ax + az * az);
                } else if (type[k] == SPHERE) {
                    ox = q[0]; oz = q[2]; of = q[3];
                } else {
                    ox = q[0]; oz = q[1]; of = q[2];
                }
                double ddx = x - ox, ddz = z - oz, min = foot + of + 0.05;
                if (ddx * ddx + ddz * ddz < min * min) return true;
            }
            return false;
        }

        /** Horizontal distance from (x, z) along (dx, dz) to the walls. */
        private double wallDistance(double x, double z, double dx, double dz) {
            double t = Double.POSITIVE_INFINITY;
            if (dx > EPS) t = Math.min(t, (rw - x) / dx);
            else if (dx < -EPS) t = Math.min(t, -x / dx);
            if (dz > EPS) t = Math.min(t, (rd - z) / dz);
            else if (dz < -EPS) t = Math.min(t, -z / dz);
            return t;
        }

        private static double[] hsv(double h, double s, double v) {
            double hh = (h - Math.floor(h)) * 6;
            int i = (int) hh;
            double f = hh - i, pp = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
            switch (i) {
                case 0: return new double[] {v, t, pp};
                case 1: return new double[] {q, v, pp};
                case 2: return new double[] {pp, v, t};
                case 3: return new double[] {pp, q, v};
                case 4: return new double[] {t, pp, v};
                default: return new double[] {v, pp, q};
            }
        }

        // ------------------------------------------------------------ rendering

        /**
         * Renders into dst at off: R, G, B planes then the depth plane (metres), each height ×
         * width, planar. Depth comes from the ray through each pixel centre. Colour too, except
         * at edges (a pixel whose surface or shadow differs from a 4-neighbour's), where it is
         * the mean of a 2×2 grid of rays.
         */
        void render(int height, int width, float[] dst, int off) {
            double tanV = StrictMath.tan(Math.toRadians(VERTICAL_FOV_DEGREES / 2));
            double tanH = tanV * width / height;
            int plane = height * width;
            if (ids.length < plane) ids = new int[plane];
            double sx = 2 * tanH / width, sy = 2 * tanV / height;
            for (int y = 0; y < height; y++) {
                double b = tanV - (y + 0.5) * sy;
                for (int x = 0; x < width; x++) {
                    // direction d = f + a·r + b·u, so d·f = 1 and the ray parameter t is the z-depth
                    double a = -tanH + (x + 0.5) * sx;
                    int i = off + y * width + x;
                    sample(fx + a * rx + b * ux, fy + a * ry + b * uy, fz + a * rz + b * uz);
                    dst[i + 3 * plane] = (float) hitT;
                    dst[i] = encode(sr);
                    dst[i + plane] = encode(sg);
                    dst[i + 2 * plane] = encode(sb);
                    ids[y * width + x] = hitSurface * 2 + (shadowed ? 1 : 0);
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int j = y * width + x, id = ids[j];
                    boolean edge = (x > 0 && ids[j - 1] != id) || (x + 1 < width && ids[j + 1] != id)
                            || (y > 0 && ids[j - width] != id) || (y + 1 < height && ids[j + width] != id);
                    if (!edge) continue;
                    double r = 0, g = 0, bl = 0;
                    for (int s = 0; s < 4; s++) {
                        double a = -tanH + (x + 0.25 + 0.5 * (s & 1)) * sx;
                        double b = tanV - (y + 0.25 + 0.5 * (s >> 1)) * sy;
                        sample(fx + a * rx + b * ux, fy + a * ry + b * uy, fz + a * rz + b * uz);
                        r += sr;
                        g += sg;
                        bl += sb;
                    }
                    int i = off + j;
                    dst[i] = encode(r * 0.25);
                    dst[i + plane] = encode(g * 0.25);
                    dst[i + 2 * plane] = encode(bl * 0.25);
                }
            }
        }

        /** Casts one ray and shades its hit into sr, sg, sb (linear). */
        private void sample(double dx, double dy, double dz) {
            cast(dx, dy, dz);
            double px = cx + hitT * dx, py = cy + hitT * dy, pz = cz + hitT * dz;
            double light = shade(px, py, pz);
            if (hitSurface == 0) light *= floorPattern(px, pz);
            int k = 3 * hitSurface;
            sr = albedo[k] * light;
            sg = albedo[k + 1] * light;
            sb = albedo[k + 2] * light;
        }

        private static float encode(double linear) {
            return (float) Math.sqrt(clamp01(linear));
        }

        private static double clamp01(double v) {
            return v < 0 ? 0 : (v > 1 ? 1 : v);
        }

        /** Planks along z, 0.2 m wide, each a slightly different shade. */
        private static double floorPattern(double x, double z) {
            long plank = (long) Math.floor(x * 5);
            long row = (long) Math.floor((z + 0.37 * (plank & 3)) * 0.8);
            long h = mix(plank * 31 + row);
            return 0.88 + 0.12 * ((h >>> 40) & 0xFF) / 255.0;
        }

        /** Ambient + Lambert from the point light, shadowed by the objects. */
        private double shade(double px, double py, double pz) {
            double lxv = lx - px, lyv = ly - py, lzv = lz - pz;
            double dist2 = lxv * lxv + lyv * lyv + lzv * lzv;
            double cos = (nx * lxv + ny * lyv + nz * lzv) / Math.sqrt(dist2);
            shadowed = true;
            if (cos <= 0) return ambient;
            int self = hitSurface - 6;
            for (int k = 0; k < objectCount; k++) {
                if (k != self && blocks(k, px, py, pz, lxv, lyv, lzv)) return ambient;
            }
            shadowed = false;
            return ambient + lightPower * cos * 3.0 / (2.0 + dist2 * 0.35);
        }

        /** Casts from the camera along (dx, dy, dz); sets hitT, the normal and hitSurface. */
        private void cast(double dx, double dy, double dz) {
            // the room: the ray leaves the box through the nearest plane ahead
            double t = Double.POSITIVE_INFINITY;
            int surf = -1;
            if (dx > EPS) { double tt = (rw - cx) / dx; if (tt < t) { t = tt; surf = 3; } }
            else if (dx < -EPS) { double tt = -cx / dx; if (tt < t) { t = tt; surf = 2; } }
            if (dy > EPS) { double tt = (rh - cy) / dy; if (tt < t) { t = tt; surf = 1; } }
            else if (dy < -EPS) { double tt = -cy / dy; if (tt < t) { t = tt; surf = 0; } }
            if (dz > EPS) { double tt = (rd - cz) / dz; if (tt < t) { t = tt; surf = 5; } }
            else if (dz < -EPS) { double tt = -cz / dz; if (tt < t) { t = tt; surf = 4; } }
            hitT = t;
            hitSurface = surf;
            switch (surf) {
                case 0: nx = 0; ny = 1; nz = 0; break;
                case 1: nx = 0; ny = -1; nz = 0; break;
                case 2: nx = 1; ny = 0; nz = 0; break;
                case 3: nx = -1; ny = 0; nz = 0; break;
                case 4: nx = 0; ny = 0; nz = 1; break;
                default: nx = 0; ny = 0; nz = -1; break;
            }
            for (int k = 0; k < objectCount; k++) {
                double[] q = p[k];
                if (type[k] == BOX) hitBox(k, q, dx, dy, dz);
                else if (type[k] == SPHERE) hitSphere(k, q, dx, dy, dz);
                else hitCylinder(k, q, dx, dy, dz);
            }
        }

        private void hitBox(int k, double[] q, double dx, double dy, double dz) {
            double tmin = EPS, tmax = hitT;
            int axis = -1;
            double sign = 0;
            // x slab
            if (Math.abs(dx) < 1e-12) {
                if (cx < q[0] || cx > q[3]) return;
            } else {
                double inv = 1 / dx, t0 = (q[0] - cx) * inv, t1 = (q[3] - cx) * inv;
                double s = -1;
                if (t0 > t1) { double tmp = t0; t0 = t1; t1 = tmp; s = 1; }
                if (t0 > tmin) { tmin = t0; axis = 0; sign = s; }
                if (t1 < tmax) tmax = t1;
                if (tmin > tmax) return;
            }
            if (Math.abs(dy) < 1e-12) {
                if (cy < q[1] || cy > q[4]) return;
            } else {
                double inv = 1 / dy, t0 = (q[1] - cy) * inv, t1 = (q[4] - cy) * inv;
                double s = -1;
                if (t0 > t1) { double tmp = t0; t0 = t1; t1 = tmp; s = 1; }
                if (t0 > tmin) { tmin = t0; axis = 1; sign = s; }
                if (t1 < tmax) tmax = t1;
                if (tmin > tmax) return;
            }
            if (Math.abs(dz) < 1e-12) {
                if (cz < q[2] || cz > q[5]) return;
            } else {
                double inv = 1 / dz, t0 = (q[2] - cz) * inv, t1 = (q[5] - cz) * inv;
                double s = -1;
                if (t0 > t1) { double tmp = t0; t0 = t1; t1 = tmp; s = 1; }
                if (t0 > tmin) { tmin = t0; axis = 2; sign = s; }
                if (t1 < tmax) tmax = t1;
                if (tmin > tmax) return;
            }
            if (axis < 0 || tmin >= hitT) return; // camera inside, or behind the nearest hit
            hitT = tmin;
            hitSurface = 6 + k;
            nx = axis == 0 ? sign : 0;
            ny = axis == 1 ? sign : 0;
            nz = axis == 2 ? sign : 0;
        }

        private void hitSphere(int k, double[] q, double dx, double dy, double dz) {
            double ox = cx - q[0], oy = cy - q[1], oz = cz - q[2], r = q[3];
            double a = dx * dx + dy * dy + dz * dz;
            double b = ox * dx + oy * dy + oz * dz;
            double c = ox * ox + oy * oy + oz * oz - r * r;
            double disc = b * b - a * c;
            if (disc < 0) return;
            double t = (-b - Math.sqrt(disc)) / a;
            if (t <= EPS || t >= hitT) return;
            hitT = t;
            hitSurface = 6 + k;
            nx = (ox + t * dx) / r;
            ny = (oy + t * dy) / r;
            nz = (oz + t * dz) / r;
        }

        private void hitCylinder(int k, double[] q, double dx, double dy, double dz) {
            double ox = cx - q[0], oz = cz - q[1], r = q[2], top = q[3];
            double a = dx * dx + dz * dz;
            if (a > 1e-12) {
                double b = ox * dx + oz * dz;
                double c = ox * ox + oz * oz - r * r;
                double disc = b * b - a * c;
                if (disc < 0) return;
                double t = (-b - Math.sqrt(disc)) / a;
                if (t > EPS && t < hitT) {
                    double y = cy + t * dy;
                    if (y >= 0 && y <= top) {
                        hitT = t;
                        hitSurface = 6 + k;
                        nx = (ox + t * dx) / r;
                        ny = 0;
                        nz = (oz + t * dz) / r;
                        return;
                    }
                }
            }
            // top cap, seen from above
            if (dy < -EPS && cy > top) {
                double t = (top - cy) / dy;
                if (t > EPS && t < hitT) {
                    double x = ox + t * dx, z = oz + t * dz;
                    if (x * x + z * z <= r * r) {
                        hitT = t;
                        hitSurface = 6 + k;
                        nx = 0;
                        ny = 1;
                        nz = 0;
                    }
                }
            }
        }

        /** Whether object k lies on the segment from p to p + (lx, ly, lz) (exclusive). */
        private boolean blocks(int k, double px, double py, double pz, double dx, double dy, double dz) {
            double[] q = p[k];
            if (type[k] == SPHERE) {
                double ox = px - q[0], oy = py - q[1], oz = pz - q[2], r = q[3];
                double a = dx * dx + dy * dy + dz * dz;
                double b = ox * dx + oy * dy + oz * dz;
                double c = ox * ox + oy * oy + oz * oz - r * r;
                double disc = b * b - a * c;
                if (disc < 0) return false;
                double s = Math.sqrt(disc);
                double t0 = (-b - s) / a, t1 = (-b + s) / a;
                return t1 > 1e-4 && t0 < 1;
            }
            if (type[k] == BOX) {
                double tmin = 1e-4, tmax = 1;
                for (int ax = 0; ax < 3; ax++) {
                    double o = ax == 0 ? px : (ax == 1 ? py : pz);
                    double d = ax == 0 ? dx : (ax == 1 ? dy : dz);
                    double lo = q[ax], hi = q[ax + 3];
                    if (Math.abs(d) < 1e-12) {
                        if (o < lo || o > hi) return false;
                    } else {
                        double t0 = (lo - o) / d, t1 = (hi - o) / d;
                        if (t0 > t1) { double tmp = t0; t0 = t1; t1 = tmp; }
                        if (t0 > tmin) tmin = t0;
                        if (t1 < tmax) tmax = t1;
                        if (tmin > tmax) return false;
                    }
                }
                return true;
            }
            // cylinder: side between y 0..top, or the top cap
            double ox = px - q[0], oz = pz - q[1], r = q[2], top = q[3];
            double a = dx * dx + dz * dz;
            if (a > 1e-12) {
                double b = ox * dx + oz * dz;
                double c = ox * ox + oz * oz - r * r;
                double disc = b * b - a * c;
                if (disc < 0) return false;
                double s = Math.sqrt(disc);
                double t0 = (-b - s) / a, t1 = (-b + s) / a;
                // clip the inside interval [t0, t1] by the slab 0 ≤ y ≤ top
                double lo = Math.max(t0, 1e-4), hi = Math.min(t1, 1);
                if (Math.abs(dy) > 1e-12) {
                    double y0 = (0 - py) / dy, y1 = (top - py) / dy;
                    if (y0 > y1) { double tmp = y0; y0 = y1; y1 = tmp; }
                    lo = Math.max(lo, y0);
                    hi = Math.min(hi, y1);
                } else if (py < 0 || py > top) {
                    return false;
                }
                return lo < hi;
            }
            // vertical segment
            return ox * ox + oz * oz <= r * r && Math.min(py, py + dy) < top && Math.max(py, py + dy) > 0;
        }
    }
}
