package org.mailsift.scanner.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mailsift.core.message.ParsedMessage;

/**
 * Dangerous attachment names (Rspamd's mime_types module): a bad extension scores its badness (1-4) as the runtime
 * score; a bad extension hidden behind another short extension ("invoice.pdf.exe") is MIME_DOUBLE_BAD_EXTENSION.
 * The extension table is Rspamd's bad_extensions.
 */
public final class AttachmentRules implements Rule {
    static final Map<String, Integer> BAD_EXTENSIONS = table();

    private static Map<String, Integer> table() {
        Map<String, Integer> m = new HashMap<>();
        String spec = "cue=2 exe=1 iso=4 jar=2 txz=2 zpaq=2 htm=1 html=1 shtm=1 shtml=1 ace=4 arj=2 aspx=1 asx=2 cab=3 "
                + "dll=4 dqy=2 iqy=2 mht=2 mhtml=2 oqy=2 rdp=2 rqy=2 sfx=2 slk=2 vst=2 vss=2 wim=2 ade=4 adp=4 cmd=4 "
                + "cpl=4 ins=4 isp=4 js=4 jse=4 lib=4 mde=4 msc=4 msi=4 msp=4 mst=4 nsh=4 pif=4 sct=4 shb=4 sys=4 vb=4 "
                + "vbe=4 vbs=4 vxd=4 wsc=4 wsh=4 app=4 asp=4 bas=4 bat=4 chm=4 cnt=4 com=4 csh=4 diagcab=4 fxp=4 "
                + "gadget=4 grp=4 hlp=4 hpj=4 hta=4 htc=4 inf=4 its=4 jnlp=4 library-ms=4 lnk=4 ksh=4 mad=4 maf=4 "
                + "mag=4 mam=4 maq=4 mar=4 mas=4 mat=4 mau=4 mav=4 maw=4 mcf=4 mda=4 mdb=4 mdt=4 mdw=4 mdz=4 msh=4 "
                + "msh1=4 msh2=4 mshxml=4 msh1xml=4 msh2xml=4 msu=4 ops=4 osd=4 pcd=4 pl=4 plg=4 prf=4 prg=4 "
                + "printerexport=4 ps1=4 ps1xml=4 ps2=4 ps2xml=4 psc1=4 psc2=4 psd1=4 psdm1=4 pst=4 pyc=4 pyo=4 "
                + "pyw=4 pyz=4 pyzw=4 reg=4 scf=4 scr=4 search-ms=4 shs=4 theme=4 url=4 vbp=4 vhd=4 vhdx=4 "
                + "vsmacros=4 vsw=4 webpnp=4 website=4 ws=4 wsf=4 xbap=4 xll=4 xnk=4";
        for (String e : spec.split(" ")) {
            int eq = e.indexOf('=');
            m.put(e.substring(0, eq), Integer.parseInt(e.substring(eq + 1)));
        }
        return Map.copyOf(m);
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                Symbols.def("MIME_BAD_EXTENSION", "mime_types", 2.0, "Bad extension"),
                Symbols.def("MIME_DOUBLE_BAD_EXTENSION", "mime_types", 3.0, "Bad extension cloaking"));
    }

    @Override
    public void check(ScanContext ctx) {
        for (ParsedMessage.Part p : ctx.message().parts()) {
            if (p.filename() != null) {
                checkName(ctx, p.filename());
            }
        }
    }

    private static void checkName(ScanContext ctx, String filename) {
        String name = filename.strip();
        if (name.length() > 1024) {
            name = name.substring(name.length() - 1024);
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length < 2) {
            return;
        }
        String ext = parts[parts.length - 1].toLowerCase(Locale.ROOT);
        String ext2 = parts.length > 2 ? parts[parts.length - 2].toLowerCase(Locale.ROOT) : null;
        Integer bad1 = BAD_EXTENSIONS.get(ext);
        Integer bad2 = ext2 == null ? null : BAD_EXTENSIONS.get(ext2);
        if (bad1 == null && bad2 == null) {
            return;
        }
        if (ext2 != null && !ext2.isEmpty() && ext2.length() <= 4 && !ext2.matches("\\d+[\\])]?")) {
            int badness = Math.max(bad1 == null ? 0 : bad1, bad2 == null ? 0 : bad2);
            ctx.insert("MIME_DOUBLE_BAD_EXTENSION", badness, List.of("." + ext2 + "." + ext));
            return;
        }
        if (bad1 != null) {
            ctx.insert("MIME_BAD_EXTENSION", bad1, List.of(ext));
        }
    }
}
