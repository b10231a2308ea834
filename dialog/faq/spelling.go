package faq

// spelling maps abbreviations and frequent misspellings, after folding, to
// the words they stand for. The character n-grams take care of the typos
// not listed here.
var spelling = map[string]string{
	// que, porque, por, para
	"q": "que", "k": "que", "qe": "que", "ke": "que", "qu": "que",
	"xq": "porque", "pq": "porque", "porq": "porque", "xk": "porque",
	"pk": "porque", "porke": "porque", "xque": "porque", "pqe": "porque",
	"x": "por", "xa": "para", "pa": "para", "d": "de",
	// courtesy
	"porfa": "por favor", "porfis": "por favor", "porfavor": "por favor",
	"xfa": "por favor", "xfavor": "por favor", "pls": "por favor",
	"plis": "por favor", "plz": "por favor", "please": "por favor",
	"xfis": "por favor",
	"grax": "gracias", "grs": "gracias", "grcs": "gracias", "grasias": "gracias",
	"gracia": "gracias", "gracis": "gracias", "grac": "gracias", "graciaas": "gracias",
	"ola": "hola", "hla": "hola", "hol": "hola", "holis": "hola", "holi": "hola",
	"bno": "bueno", "weno": "bueno", "wena": "buena", "bn": "bien",
	"tmb": "tambien", "tb": "tambien", "tbm": "tambien", "tmbn": "tambien",
	"tambn": "tambien",
	// everyday shortenings
	"dnd": "donde", "dnde": "donde", "cdo": "cuando", "cndo": "cuando",
	"msj": "mensaje", "mje": "mensaje", "msje": "mensaje",
	"nro": "numero", "num": "numero", "nmro": "numero", "n": "numero",
	"cel": "celular", "celu": "celular", "tel": "telefono",
	"hs": "horas", "hrs": "horas", "hr": "horas", "hora": "horas",
	"toy": "estoy", "ta": "esta", "sta": "esta", "tas": "estas",
	"ud": "usted", "uds": "ustedes", "vd": "usted",
	"info": "informacion", "dsp": "despues", "dps": "despues", "desp": "despues",
	"nose": "no se", "ns": "no se", "nc": "no se",
	"kiero": "quiero", "qiero": "quiero", "quero": "quiero",
	"nesesito": "necesito", "nesecito": "necesito", "necesto": "necesito",
	"nececito": "necesito", "saver": "saber", "aser": "hacer",
	"ise": "hice", "hize": "hice", "sirbe": "sirve", "cirve": "sirve",
	"wsp": "whatsapp", "wpp": "whatsapp", "whatsap": "whatsapp", "wapp": "whatsapp",
	"mail": "correo", "email": "correo", "compu": "computadora",
	"dn": "dni", "documento": "dni",
	// the domain's words
	"clabe": "clave", "klave": "clave", "calve": "clave", "clae": "clave",
	"clve": "clave", "clavr": "clave", "cllave": "clave", "clav": "clave",
	"clabes": "claves",
	// In this domain the key and the password are one thing.
	"contrasena": "clave", "contracena": "clave", "contrasenia": "clave",
	"contrasna": "clave", "contrsena": "clave", "cotrasena": "clave",
	"contrasela": "clave", "contrasenha": "clave", "contrazena": "clave",
	"contrasea": "clave", "contra": "clave", "contrasenas": "claves",
	"pass": "clave", "password": "clave", "pasword": "clave",
	"psw": "clave", "pw": "clave", "passw": "clave",
	// Ways of naming a person at the help desk.
	"operador": "persona", "operadora": "persona", "asesor": "persona",
	"asesora": "persona", "humano": "persona", "humana": "persona",
	"agente": "persona", "representante": "persona", "empleado": "persona",
	"empleada": "persona", "operadores": "personas", "agentes": "personas",
	// Ways of saying "reset".
	"blanquear": "recuperar", "blanqueo": "recupero", "resetear": "recuperar",
	"reseteo": "recupero", "restablecer": "recuperar", "reestablecer": "recuperar",
	"restablezco": "recupero", "blanqueen": "recuperen", "reseteen": "recuperen",
	// A request written as a letter to an office names the act ("a fin
	// de solicitar la generación de mi clave", a words probe: it got the
	// menu, key.create 0.41): the act is the verb people type, and to
	// request is to want.
	"creacion": "crear", "generacion": "generar", "recuperacion": "recuperar",
	"restablecimiento": "recuperar", "modificacion": "modificar", "obtencion": "obtener",
	"solicitar": "quiero", "solicito": "quiero", "solicitarles": "quiero", "solicitarle": "quiero",
	"requerir": "quiero", "requiero": "quiero",
	// The menu's verbs as typed in a hurry (a words probe: "recuperra",
	// "recuprar", "canbiar" got "Eso no lo sé responder").
	"recuperra": "recuperar", "recuprar": "recuperar", "recupear": "recuperar", "recuperrar": "recuperar",
	"recupera": "recuperar", "recuperr": "recuperar", "recuperer": "recuperar", "recupar": "recuperar",
	"rrecuperar": "recuperar", "recuerar": "recuperar", "recperar": "recuperar", "recuprear": "recuperar",
	"canbiar": "cambiar", "cambair": "cambiar", "cmbiar": "cambiar", "cabiar": "cambiar", "camviar": "cambiar",
	"canviar": "cambiar", "cambiarr": "cambiar", "cambar": "cambiar",
	"olvide": "olvide", "olbide": "olvide", "ovide": "olvide", "olvde": "olvide",
	"olvidee": "olvide", "olvid": "olvide", "olvie": "olvide",
	"anse": "anses", "ances": "anses", "ansses": "anses", "anss": "anses",
	"ansess": "anses", "anzes": "anses", "mianses": "mi anses",
	"cuill": "cuil", "kuil": "cuil", "cuiel": "cuil", "cul": "cuil", "cuik": "cuil",
	"arca": "afip", "afp": "afip",
	// English, once apostrophes are dropped: contractions spelled out so
	// "can't", "cant" and "cannot" meet, and chat shortenings. Only words
	// that are not Spanish; the key's English names join "clave" above.
	"dont": "do not", "doesnt": "does not", "didnt": "did not",
	"cant": "can not", "cannot": "can not", "couldnt": "could not",
	"wont": "will not", "isnt": "is not", "arent": "are not",
	"wasnt": "was not", "havent": "have not", "shouldnt": "should not",
	"im": "i am", "ive": "i have", "youre": "you are", "whats": "what is",
	"wats": "what is", "wat": "what", "thats": "that is", "theres": "there is",
	"wheres": "where is", "hows": "how is", "ur": "your", "r": "are",
	"thx": "thanks", "thnx": "thanks", "thanx": "thanks", "tnx": "thanks",
	"key": "clave", "keys": "claves", "passwords": "claves", "passwd": "clave",
	"pwd": "clave", "passcode": "clave", "passwrd": "clave", "paswd": "clave",
	// Portuguese, as people from Brazil or the border write to an
	// Argentine service ("esqueci minha senha" was thanked as names,
	// "preciso fazer minha senha" out of scope; a people probe). Only
	// words that are not Spanish, read as the Spanish ones, and "preciso",
	// in both the need ("preciso la clave"), never in this domain precise.
	"senha": "clave", "senhas": "claves", "esqueci": "olvide", "esqueceu": "olvide", "minha": "mi",
	"meu": "mi", "preciso": "necesito", "precisa": "necesita", "fazer": "hacer", "criar": "crear", "trocar": "cambiar", "nao": "no", "tenho": "tengo",
	"posso": "puedo", "obrigado": "gracias", "obrigada": "gracias", "obg": "gracias", "oi": "hola",
	"ajuda": "ayuda", "acessar": "acceder", "voce": "usted", "vc": "usted", "eu": "yo", "tudo": "todo",
	"bem": "bien", "boa": "buena", "noite": "noche",
}
