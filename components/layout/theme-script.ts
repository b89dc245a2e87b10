/** localStorage key holding an explicit "light" | "dark" choice; absent means "follow the system". */
export const THEME_STORAGE_KEY = "theme";

/**
 * Runs in <head> before first paint so the stored or system theme is applied without a flash.
 * Kept dependency-free and ES5 because it is inlined as a string.
 */
export const themeInitScript = `(function(){try{var t=localStorage.getItem("${THEME_STORAGE_KEY}");var d=t==="dark"||(t!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);var r=document.documentElement;r.classList.toggle("dark",d);r.style.colorScheme=d?"dark":"light"}catch(e){}})()`;
