/* Tablas más anchas que su marco (en un teléfono): se desplazan dentro de
   su caja, y un aviso, «más columnas →», y una sombra en el borde derecho
   dicen que sigue. El aviso aparece solo mientras la tabla no cabe; la
   sombra, mientras quede algo a la derecha; y la tabla se puede recorrer
   con el teclado. Se vuelve a medir cuando cambia el ancho (girar el
   teléfono, abrir una pestaña). */
(() => {
  const desborda = (caja) =>
    ["auto", "scroll"].includes(getComputedStyle(caja).overflowX)
    && caja.scrollWidth > caja.clientWidth + 1;

  const vigilar = (tabla) => {
    const marco = tabla.closest(".pst-scrollable-table-container") || tabla;
    const aviso = document.createElement("p");
    aviso.className = "tabla-desliza";
    aviso.setAttribute("aria-hidden", "true");
    aviso.textContent = "más columnas →";
    aviso.hidden = true;
    marco.before(aviso);
    const medir = () => {
      const caja = [tabla, marco].find(desborda);
      aviso.hidden = !caja;
      // Lo que se desplaza se alcanza también con el teclado (flechas).
      for (const el of new Set([tabla, marco])) {
        if (el === caja) el.tabIndex = 0;
        else el.removeAttribute("tabindex");
      }
      // La sombra va en el marco, que no se desplaza, sobre la tabla que
      // sí lo hace (en un teléfono, la tabla es su propia caja).
      const sombra = caja === tabla && marco !== tabla;
      const resta = sombra
        && tabla.scrollLeft + tabla.clientWidth < tabla.scrollWidth - 1;
      marco.classList.toggle("tabla-sigue", Boolean(resta));
    };
    tabla.addEventListener("scroll", medir, {passive: true});
    new ResizeObserver(medir).observe(marco);
    medir();
  };

  const comenzar = () =>
    document.querySelectorAll(".bd-article table").forEach(vigilar);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", comenzar);
  } else {
    comenzar();
  }
})();
